"""Crisis signals (DOMAIN.md "Escalation"), each with the words that matched, its kind and why.

Kinds: a safety event that happened (fire or smoke, brakes or steering failing, a collision or
near-collision with a fault, airbags in a crash), an injury, a scene at the dealer (banners,
blocking the showroom, sitting in, smashing, threatening staff), media, social platforms,
regulators and the police, and legal steps.

A word alone is not enough: every escalation goes to the carmaker and PR, so a false alarm costs
as much as a miss. Each trigger is read in its window of context — the clause and the sentence
around it — and dismissed when that window says it does not count:

* denied or disclaimed ("我不会去告你们", "没有起火", "起诉倒不至于");
* hypothetical or a worry ("会不会自燃", "万一刹车失灵", "担心高速上熄火");
* incidental: a relative who works at a TV station, a recall learned from the news, a car bought
  in a live stream, praise posted to 朋友圈, a warning light called 报警, an injury with another
  cause, a fire in someone else's car, hail that dented the roof, the customer's own profession,
  another errand at the court;
* settled: a past step or event told as over and resolved ("去年打过12315，后来换了件，已经没事了")
  — checked for every trigger; a new event or a threat told after it still counts.

Threats stay signals when conditional ("不解决就找媒体", "再不退车我就起诉"). Dismissed triggers
are kept with their reason (:func:`read`), so the page and the API can say why a word did not
raise a crisis.

Layout: :mod:`.cues` is the table of what may be a crisis, by kind; :mod:`.step_checks` and
:mod:`.event_checks` say why a trigger does not count (a step not taken; an event that did not
happen here, now, to this car); :mod:`.window` cuts the context they read; :mod:`.reading` runs
the table and asks the learned reading (:mod:`kesu.insights.crisis_learned`).
"""

from .reading import Reading, Signal, find_signals, read, rules_find_crisis

__all__ = ["Reading", "Signal", "find_signals", "read", "rules_find_crisis"]

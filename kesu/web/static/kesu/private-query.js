// Full phone numbers never travel in a URL (URLs are logged): an htmx GET moves every parameter
// holding one into the X-Kesu-Query header, which the server reads as part of the query
// (kesu/core/middleware.py PhonesOutOfUrlsMiddleware); the address pushed to the history omits it.
(function () {
  const MOBILE = /(?<![0-9])(?:\+?86)?1[3-9][0-9]{9}(?![0-9])/;
  function holdsMobile(value) {
    return typeof value === "string" && MOBILE.test(value.normalize("NFKC").replace(/[\s-]/g, ""));
  }
  document.addEventListener("htmx:configRequest", function (event) {
    const detail = event.detail;
    if (detail.verb !== "get") { return; }
    const moved = new URLSearchParams();
    for (const [name, value] of Array.from(detail.formData.entries())) {
      if (holdsMobile(value)) { moved.append(name, value); }
    }
    if (!moved.toString()) { return; }
    for (const name of new Set(moved.keys())) { detail.formData.delete(name); }
    detail.headers["X-Kesu-Query"] = moved.toString();
  });
})();

// The dashboard's charts (ECharts, shipped with the app). A click on a bar or a slice opens the
// queue with the complaints behind it (each figure carries its link: item.queue).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-figures").textContent);
  var lang = document.documentElement.lang || "zh-hans";
  var zh = lang.indexOf("zh") === 0;
  var periods = [
    (zh ? "本月 " : "This month ") + data.periods.this,
    (zh ? "上月 " : "Last month ") + data.periods.last,
    (zh ? "去年同月 " : "Same month last year ") + data.periods.last_year,
  ];
  function itemsFor(key) {
    switch (key) {
      case "trend": return data.trend;
      case "compliance": return data.compliance;
      case "satisfaction": return data.satisfaction;
      case "compensation": return data.compensation;
      case "pareto": return data.pareto;
      case "backlog": return data.backlog;
      case "signals": return data.quality_signals;
      default: return data.volume[key] || [];
    }
  }
  function optionFor(kind, items) {
    var labels = items.map(function (i) { return i.label || i.month; });
    var base = { tooltip: { trigger: "axis", renderMode: "richText" }, grid: { left: 40, right: 16, top: 30, bottom: 60 },
      xAxis: { type: "category", data: labels, axisLabel: { rotate: labels.length > 5 ? 30 : 0, interval: 0 } },
      yAxis: { type: "value" } };
    if (kind === "volume") {
      base.legend = { top: 0 };
      base.series = ["this", "last", "last_year"].map(function (k, n) {
        return { name: periods[n], type: "bar", data: items.map(function (i) { return i[k]; }) };
      });
    } else if (kind === "compliance") {
      base.legend = { top: 0 };
      base.yAxis = { type: "value", max: 100, axisLabel: { formatter: "{value}%" } };
      base.series = ["rate", "last_rate", "last_year_rate"].map(function (k, n) {
        return { name: periods[n], type: "bar", data: items.map(function (i) { return i[k] === null ? null : Math.round(i[k] * 1000) / 10; }) };
      });
    } else if (kind === "pareto") {
      base.yAxis = [{ type: "value" }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }];
      base.series = [
        { type: "bar", data: items.map(function (i) { return i.count; }) },
        { type: "line", yAxisIndex: 1, data: items.map(function (i) { return Math.round(i.cumulative_share * 1000) / 10; }) },
      ];
    } else if (kind === "compensation") {
      base.series = [{ type: "bar", data: items.map(function (i) { return Number(i.amount); }) }];
    } else if (kind === "signals") {
      base.series = [{ type: "bar", data: items.map(function (i) { return i.complaints; }) }];
    } else {
      base.series = [{ type: kind === "trend" ? "line" : "bar", data: items.map(function (i) { return i.count; }) }];
    }
    return base;
  }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var items = itemsFor(el.dataset.chart);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(optionFor(el.dataset.kind, items));
    // a click anywhere in a category's column (its bars, the gap above them) opens its complaints
    chart.getZr().on("click", function (event) {
      var point = [event.offsetX, event.offsetY];
      if (!chart.containPixel({ gridIndex: 0 }, point)) { return; }
      var index = chart.convertFromPixel({ xAxisIndex: 0 }, point[0]);
      var item = items[Math.round(index)];
      if (item && item.queue) { window.location.href = item.queue; }
    });
    el.kesuChart = chart;
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();

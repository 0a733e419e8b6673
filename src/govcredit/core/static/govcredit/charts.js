/* Draws every <canvas data-chart="<id of a json_script>"> with the vendored Chart.js.
   The data comes from core.charts.Chart.as_json(); see core/templates/core/_chart.html. */
(function () {
  function draw() {
    if (!window.Chart) return;
    Chart.defaults.font.family = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
    Chart.defaults.color = "#2d3a4b";
    document.querySelectorAll("canvas[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-chart"));
      if (!source || el.dataset.drawn) return;
      el.dataset.drawn = "1";
      var d = JSON.parse(source.textContent);
      var hasPercent = d.series.some(function (s) { return s.axis === "percent"; });
      var hasCount = d.series.some(function (s) { return s.axis === "count"; });
      var value = d.horizontal ? "x" : "y", label = d.horizontal ? "y" : "x";
      var scales = {};
      scales[label] = {stacked: d.stacked, ticks: {autoSkip: !d.horizontal}};
      if (hasCount) scales.count = {axis: value, position: d.horizontal ? "bottom" : "left", beginAtZero: true, stacked: d.stacked, ticks: {precision: 0}};
      if (hasPercent) scales.percent = {axis: value, position: hasCount ? (d.horizontal ? "top" : "right") : (d.horizontal ? "bottom" : "left"), min: 0, max: 100,
        grid: {drawOnChartArea: !hasCount}, ticks: {callback: function (v) { return v + "%"; }}};
      new Chart(el, {
        data: {
          labels: d.labels,
          datasets: d.series.map(function (s) {
            var set = {type: s.kind, label: s.label, data: s.data, backgroundColor: s.color, borderColor: s.color, spanGaps: true};
            set[value + "AxisID"] = s.axis;
            return set;
          })
        },
        options: {
          indexAxis: d.horizontal ? "y" : "x",
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: scales,
          plugins: {legend: {display: d.series.length > 1, position: "bottom"}}
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();

// Draws the dashboard's charts from the numbers the page carries, and sorts the ranking table.
(() => {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);

  function draw(id, option) {
    const element = document.getElementById(id);
    if (!element || typeof echarts === "undefined") return;
    if (!option) {
      // A breakdown with nothing in it says so, rather than drawing an empty grid.
      element.classList.add("chart-empty");
      element.textContent = element.dataset.empty;
      return;
    }
    const chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({ animation: false, tooltip: {}, ...option });
    window.addEventListener("resize", () => chart.resize());
  }

  function bars(part) {
    if (!part.values.some((value) => value > 0)) return null;
    return {
      grid: { left: 90, right: 10, top: 10, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: part.labels },
      series: [{ type: "bar", data: part.values }],
    };
  }

  draw("chart-trend", {
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.trend.months },
    // Hours are not counts: they get their own axis on the right.
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value", position: "right" }],
    series: data.trend.series.map((line, index) => ({
      name: line.name,
      type: "line",
      data: line.values,
      yAxisIndex: index === data.trend.series.length - 1 ? 1 : 0,
    })),
  });
  draw("chart-cases", bars(data.cases_by_category));
  draw("chart-orders", bars(data.orders_by_status));
  drawMap();

  // The federations below on their map, matched by six-digit division code (the vendored
  // GeoJSON carries it as properties.code); a tap opens that federation's dashboard.
  function drawMap() {
    const element = document.getElementById("chart-map");
    if (!element || typeof echarts === "undefined") return;
    const places = JSON.parse(document.getElementById("map-places").textContent);
    const select = document.getElementById("map-measure");
    fetch(element.dataset.url)
      .then((response) => response.json())
      .then((geojson) => {
        echarts.registerMap(element.dataset.url, geojson);
        const chart = echarts.init(element, null, { renderer: "canvas" });
        const show = () => {
          const measure = select.value;
          const values = places.map((place) => place[measure]);
          chart.setOption({
            animation: false,
            tooltip: { trigger: "item", formatter: (item) => (item.data ? `${item.data.label}：${item.value}` : item.name) },
            visualMap: { min: 0, max: Math.max(1, ...values), calculable: true, left: 0, bottom: 0, itemHeight: 80 },
            series: [{
              type: "map",
              map: element.dataset.url,
              nameProperty: "code",
              data: places.map((place) => ({ name: place.code, label: place.name, value: place[measure], url: place.url })),
            }],
          });
        };
        show();
        select.addEventListener("change", show);
        chart.on("click", (item) => {
          if (item.data && item.data.url) window.location.href = `${item.data.url}?${element.dataset.query}`;
        });
        window.addEventListener("resize", () => chart.resize());
        element.dataset.drawn = places.length;
      });
  }

  document.querySelectorAll("table.sortable button.sort").forEach((button) => {
    button.addEventListener("click", () => {
      const table = button.closest("table");
      const column = Number(button.dataset.column);
      const body = table.tBodies[0];
      const descending = button.dataset.order !== "desc";
      button.dataset.order = descending ? "desc" : "asc";
      const value = (row) => row.cells[column]?.textContent.trim() ?? "";
      const rows = Array.from(body.rows).sort((a, b) => {
        const [x, y] = [value(a), value(b)];
        const numeric = !Number.isNaN(Number(x)) && !Number.isNaN(Number(y));
        const order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh");
        return descending ? -order : order;
      });
      rows.forEach((row) => body.appendChild(row));
    });
  });
})();

// On a phone, lists read as cards: each cell is given its column's name (data-label), which
// platform.css shows beside the value below 768 px. The admin's change lists and inline tables,
// and the platform's tables marked `table-cards`.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("#result_list, .inline-group .tabular table, table.table-cards").forEach((table) => {
    if (!table.tHead) return;
    const labels = Array.from(table.tHead.rows[0].cells, (cell) => cell.textContent.trim());
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        Array.from(row.cells).forEach((cell, index) => {
          if (labels[index]) cell.dataset.label = labels[index];
        });
      }
    }
  });
});

// On a phone the admin's change lists read as cards: each cell is given its column's name
// (data-label), which platform.css shows beside the value below 768 px.
document.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("result_list");
  if (!table) return;
  const labels = Array.from(table.tHead.rows[0].cells, (cell) => cell.textContent.trim());
  for (const row of table.tBodies[0].rows) {
    Array.from(row.cells).forEach((cell, index) => {
      if (labels[index]) cell.dataset.label = labels[index];
    });
  }
});

// Follows a background export: the bar moves, and the download link appears when it is done.
(() => {
  const box = document.getElementById("export");
  const bar = document.getElementById("export-bar");

  function show({ status, progress }) {
    bar.style.width = `${progress}%`;
    bar.textContent = `${progress}%`;
    bar.parentElement.setAttribute("aria-valuenow", progress);
    document.getElementById("export-done").hidden = status !== "done";
    document.getElementById("export-failed").hidden = status !== "failed";
    document.getElementById("export-working").hidden = status === "done" || status === "failed";
    return status === "done" || status === "failed";
  }

  async function poll() {
    const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (response.ok && show(await response.json())) return;
    setTimeout(poll, 1500);
  }

  show({ status: box.dataset.status, progress: Number(bar.dataset.progress) });
  if (box.dataset.status !== "done" && box.dataset.status !== "failed") poll();
})();

// 清除并离开: the help page is replaced by a neutral one, without a history entry of its own
// (location.replace), so that the back button does not bring it back.
document.getElementById("quick-exit")?.addEventListener("click", (event) => {
  event.preventDefault();
  window.location.replace(event.currentTarget.href);
});

// 清除并离开: the help page replaces itself (location.replace: no history entry of its own)
// with /m/leave/, which ends her session and sends the browser on to a neutral page.
document.getElementById("quick-exit")?.addEventListener("click", (event) => {
  event.preventDefault();
  window.location.replace(event.currentTarget.href);
});

/* Ketenregie: a form that is being sent says so, and a second click does not send it again
   (the server also takes a repeated submit only once: config/kernel/onceonly.py). */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.krBusy === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.krBusy = "1";
    form.setAttribute("aria-busy", "true");
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (button) {
      button.classList.add("kr-button--busy");
      button.setAttribute("aria-disabled", "true");
    }
  });
  /* Back to a page from the browser's cache: its forms may be sent again. */
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-kr-busy]").forEach(function (form) {
      delete form.dataset.krBusy;
      form.removeAttribute("aria-busy");
      form.querySelectorAll(".kr-button--busy").forEach(function (button) {
        button.classList.remove("kr-button--busy");
        button.removeAttribute("aria-disabled");
      });
    });
  });
})();

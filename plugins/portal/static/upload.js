// Upload progress for forms marked data-upload: the same multipart form the browser would send
// without JavaScript, sent with XMLHttpRequest so its <progress> can show how much has gone. The
// server answers JSON ({location} or {error}) when it sees the X-Portal-Upload header.
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest) { return; }
  function setup(form) {
    var bar = form.querySelector("progress");
    var status = form.querySelector("[data-upload-status]");
    var alertBox = form.querySelector("[data-upload-error]");
    var button = form.querySelector("button[type=submit]");
    function fail(message) {
      if (button) { button.disabled = false; }
      if (bar) { bar.hidden = true; }
      if (alertBox) { alertBox.setAttribute("role", "alert"); alertBox.textContent = message; alertBox.hidden = false; }
    }
    form.addEventListener("submit", function (event) {
      if (!form.checkValidity()) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-Portal-Upload", "1");
      request.responseType = "json";
      request.upload.addEventListener("progress", function (progress) {
        if (!progress.lengthComputable || !bar) { return; }
        var percent = Math.round(progress.loaded / progress.total * 100);
        bar.value = percent;
        if (status) { status.textContent = form.getAttribute("data-uploading") + " " + percent + "%"; }
      });
      request.addEventListener("load", function () {
        var answer = request.response || {};
        if (answer.location) {
          if (bar) { bar.value = 100; }
          window.location.assign(answer.location);
        } else {
          fail(answer.error || form.getAttribute("data-failed"));
        }
      });
      request.addEventListener("error", function () { fail(form.getAttribute("data-failed")); });
      if (button) { button.disabled = true; }
      if (alertBox) { alertBox.hidden = true; }
      if (bar) { bar.value = 0; bar.hidden = false; }
      request.send(new FormData(form));
    });
    form.setAttribute("data-upload", "ready");  // tests wait for this before submitting
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-upload]"), setup);
})();

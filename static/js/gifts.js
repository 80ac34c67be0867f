// Sổ tay, gifts: find and tick children in a village's list; shrink the photo of a signed sheet before upload.
(function () {
  "use strict";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  var tools = document.querySelector(".kid-tools");
  if (tools) {
    tools.hidden = false;
    var filter = document.getElementById("kid-filter");
    var rows = document.querySelectorAll("#kids label[data-name]");
    filter.addEventListener("input", function () {
      var q = fold(filter.value.trim());
      rows.forEach(function (row) { row.hidden = q !== "" && row.dataset.name.indexOf(q) < 0; });
    });
    document.getElementById("kid-all").addEventListener("click", function () {
      rows.forEach(function (row) { if (!row.hidden) { row.querySelector("input").checked = true; } });
    });
  }

  // A round reopened (often a kept copy) while distributions made on it wait in the outbox: the children ticked
  // there received in this round too, so they are shown so, as the server shows those already sent.
  document.addEventListener("sotay:waiting", function (event) {
    var form = event.target, fields = (event.detail && event.detail.fields) || [];
    if (!form.querySelector || !form.querySelector("#kids")) { return; }
    function sent(name) {
      var f = fields.filter(function (x) { return x.name === name; })[0];
      return f && f.value;
    }
    var same = ["occasion", "year"].every(function (name) {
      return !form.elements[name] || sent(name) === form.elements[name].value;
    });
    if (!same) { return; }
    var words = JSON.parse(document.getElementById("sotay-strings").textContent).receivedWaiting;
    fields.filter(function (f) { return f.name === "children"; }).forEach(function (f) {
      var box = form.querySelector("input[name=children][value='" + String(f.value).replace(/\D/g, "") + "']");
      var label = box && box.closest("label");
      if (!label || label.querySelector(".waiting-flag")) { return; }
      label.classList.add("received");
      var flag = document.createElement("strong");
      flag.className = "flag waiting-flag";
      flag.textContent = words;
      label.appendChild(flag);
    });
  });

  document.addEventListener("sotay:all-sent", function () {
    var words = JSON.parse(document.getElementById("sotay-strings").textContent).receivedSent;
    document.querySelectorAll(".waiting-flag").forEach(function (flag) { flag.textContent = words; });
  });

  var MAX = 300 * 1024;
  var input = document.querySelector("#photo-form input[type=file]");
  if (!input || !window.DataTransfer || !HTMLCanvasElement.prototype.toBlob) { return; }
  input.accept = "image/*";
  input.addEventListener("change", function () {
    var file = input.files[0];
    if (!file || !/^image\//.test(file.type)) { return; }
    var img = new Image();
    var url = URL.createObjectURL(file);
    img.onload = function () {
      URL.revokeObjectURL(url);
      var side = 1600, quality = 0.8, canvas = document.createElement("canvas");
      function attempt() {
        var scale = Math.min(1, side / Math.max(img.naturalWidth, img.naturalHeight));
        canvas.width = Math.round(img.naturalWidth * scale);
        canvas.height = Math.round(img.naturalHeight * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          if (blob.size > MAX && side > 400) {
            if (quality > 0.5) { quality -= 0.1; } else { side = Math.round(side * 0.8); }
            attempt();
            return;
          }
          var dt = new DataTransfer();
          dt.items.add(new File([blob], "sheet.jpg", {type: "image/jpeg"}));
          input.files = dt.files;
        }, "image/jpeg", quality);
      }
      attempt();
    };
    img.src = url;
  });
})();

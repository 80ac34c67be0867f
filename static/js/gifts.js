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

// Row editors of the merchant admin (stores/admin_rows.py): "Add a row" copies the last,
// blank, row with the next index; an image row's preview follows its URL as it is typed.
"use strict";
(function () {
  function renumber(row, name, index) {
    row.querySelectorAll("[name]").forEach(function (input) {
      input.name = input.name.replace(new RegExp("^" + name + "-\\d+-"), name + "-" + index + "-");
      if (input.type === "checkbox") { input.checked = false; } else if (input.tagName === "SELECT") { input.selectedIndex = 0; } else { input.value = ""; }
    });
    row.querySelectorAll("img.row-editor-preview").forEach(function (img) {
      img.hidden = true; img.removeAttribute("src");
    });
  }

  function preview(row) {
    var img = row.querySelector("img.row-editor-preview");
    if (!img) { return; }
    var field = function (column) { return row.querySelector("[data-column='" + column + "'] [name]"); };
    var url = field("url"), type = field("type"), thumb = field("thumbnail");
    var src = (thumb && thumb.value) || (type && type.value === "image" && url && url.value) || "";
    if (/^https:\/\//.test(src)) { img.src = src; img.hidden = false; } else { img.hidden = true; img.removeAttribute("src"); }
  }

  function start() {
    document.querySelectorAll(".row-editor").forEach(function (editor) {
      var name = editor.dataset.rowsFor;
      var count = editor.querySelector("input[name='" + name + "-rows']");
      var body = editor.querySelector("tbody");
      var add = editor.querySelector(".row-editor-add");
      add.hidden = false;
      add.addEventListener("click", function () {
        var last = body.querySelector("tr:last-child");
        var row = last.cloneNode(true);
        renumber(row, name, body.children.length);
        body.appendChild(row);
        count.value = body.children.length;
      });
      body.addEventListener("input", function (event) { preview(event.target.closest("tr")); });
      body.addEventListener("change", function (event) { preview(event.target.closest("tr")); });
    });
  }

  // Form media load in the head, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

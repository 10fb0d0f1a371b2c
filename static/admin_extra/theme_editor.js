// The checkout theme editor (stores/theme_form.py): colour pickers kept in step with their
// text fields, and a live preview of the hosted page in light and dark with a warning when
// text falls below WCAG AA (4.5:1). The arithmetic is stores/theme_contrast.py's.
// CSS custom properties are set through the CSSOM, which the page's CSP allows.
"use strict";
(function () {
  var COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;
  var RADIUS = /^(?:0|\d{1,3}(?:\.\d{1,2})?(?:px|rem|em|%))$/;
  var DEFAULTS = {
    light: { primary: "#4f46e5", background: "#f7f7f8", card: "#ffffff", text: "#111827", radius: "8px" },
    dark: { primary: "#818cf8", background: "#0f1115", card: "#1a1d24", text: "#f3f4f6", radius: "8px" },
  };
  var AA = 4.5;

  function sixDigits(color) {
    var digits = color.slice(1);
    if (digits.length === 3 || digits.length === 4) {
      digits = digits.slice(0, 3).split("").map(function (c) { return c + c; }).join("");
    }
    return "#" + digits.slice(0, 6).toLowerCase();
  }

  function luminance(color) {
    var hex = sixDigits(color).slice(1);
    var linear = [0, 2, 4].map(function (i) {
      var c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  }

  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function readableOn(color) {
    return contrast("#ffffff", color) >= contrast("#111827", color) ? "#ffffff" : "#111827";
  }

  function input(mode, suffix) {
    return document.querySelector("[name='theme_" + mode + "_" + suffix + "']");
  }

  // The field's value while it is valid; a read-only page has no fields and shows the
  // stored theme the panel carries; anything else falls back to the default.
  function value(panel, suffix, pattern) {
    var mode = panel.dataset.mode;
    var field = input(mode, suffix);
    var text = field ? field.value.trim() : (panel.dataset[suffix] || "");
    return pattern.test(text) ? text : DEFAULTS[mode][suffix];
  }

  function paint(panel) {
    var mode = panel.dataset.mode;
    var colors = {};
    ["primary", "background", "card", "text"].forEach(function (suffix) {
      colors[suffix] = value(panel, suffix, COLOR);
      panel.style.setProperty("--tp-" + suffix, colors[suffix]);
    });
    var onPrimary = readableOn(colors.primary);
    panel.style.setProperty("--tp-on-primary", onPrimary);
    panel.style.setProperty("--tp-radius", value(panel, "radius", RADIUS));
    var logo = input(mode, "logo");
    var img = panel.querySelector(".tp-logo");
    var src = (logo && /^https:\/\//.test(logo.value.trim()) && logo.value.trim()) ||
      panel.closest("[data-theme-preview]").dataset.storeLogo || "";
    if (src) { img.src = src; img.hidden = false; } else { img.hidden = true; img.removeAttribute("src"); }

    var problems = [];
    [["text on the card", colors.text, colors.card],
     ["text on the background", colors.text, colors.background],
     ["the pay button's text", onPrimary, colors.primary]].forEach(function (pair) {
      var ratio = contrast(pair[1], pair[2]);
      if (ratio < AA) { problems.push(pair[0] + " " + ratio.toFixed(2) + ":1"); }
    });
    var warning = panel.querySelector("[data-contrast-warning]");
    warning.hidden = problems.length === 0;
    warning.textContent = problems.length ? "Below WCAG AA (4.5:1): " + problems.join(", ") : "";
  }

  function paintAll() {
    document.querySelectorAll(".theme-preview[data-mode]").forEach(paint);
  }

  function start() {
    document.querySelectorAll("input[type='color'][data-color-for]").forEach(function (picker) {
      var text = document.querySelector("[name='" + picker.dataset.colorFor + "']");
      if (!text) { return; }
      if (COLOR.test(text.value.trim())) { picker.value = sixDigits(text.value.trim()); }
      picker.addEventListener("input", function () { text.value = picker.value; paintAll(); });
      text.addEventListener("input", function () {
        if (COLOR.test(text.value.trim())) { picker.value = sixDigits(text.value.trim()); }
        paintAll();
      });
    });
    document.querySelectorAll("[name^='theme_']").forEach(function (field) {
      field.addEventListener("input", paintAll);
    });
    document.querySelectorAll(".contrast-warnings-server").forEach(function (list) { list.hidden = true; });
    paintAll();
  }

  // Form media load in the head, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

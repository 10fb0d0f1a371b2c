// Card entry as typed (issue 19, point 2): the number grouped by brand with the brand shown,
// the expiry formatted MM/YY from digits alone (a phone keypad has no "/"), the CVC length
// by brand and a Luhn hint. Progressive: the server parses whatever is posted
// (payments/cards.py), so without this script the fields take plain digits.
// Keep the IIN table in step with payments/cards.py _BRANDS.
(function () {
  "use strict";
  var BRANDS = [
    // brand, IIN, name shown, grouping, CVC digits, complete lengths (for the Luhn hint)
    ["amex", /^3[47]/, "American Express", [4, 6, 5], 4, [15]],
    ["diners", /^3(0[0-5]|095|[689])/, "Diners Club", [4, 6, 4], 3, [14]],
    ["jcb", /^35(2[89]|[3-8])/, "JCB", [4, 4, 4, 4, 3], 3, [16, 19]],
    ["unionpay", /^62/, "UnionPay", [4, 4, 4, 4, 3], 3, [16, 19]],
    ["discover", /^6(011|4[4-9]|5)/, "Discover", [4, 4, 4, 4, 3], 3, [16, 19]],
    ["mastercard", /^(5[1-5]|2(22[1-9]|2[3-9]|[3-6]|7[01]|720))/, "Mastercard", [4, 4, 4, 4], 3, [16]],
    ["visa", /^4/, "Visa", [4, 4, 4, 4, 3], 3, [13, 16, 19]],
  ];
  var OTHER = ["card", null, "", [4, 4, 4, 4, 3], 3, [16, 19]];

  function brandOf(digits) {
    for (var i = 0; i < BRANDS.length; i++) {
      if (BRANDS[i][1].test(digits)) return BRANDS[i];
    }
    return OTHER;
  }

  function luhn(digits) {
    var sum = 0;
    for (var i = 0; i < digits.length; i++) {
      var d = +digits[digits.length - 1 - i];
      if (i % 2) d = d > 4 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return sum % 10 === 0;
  }

  function group(digits, sizes) {
    var parts = [], at = 0;
    for (var i = 0; i < sizes.length && at < digits.length; i++) {
      parts.push(digits.slice(at, at + sizes[i]));
      at += sizes[i];
    }
    return parts.join(" ");
  }

  function maxDigits(sizes) {
    return sizes.reduce(function (a, b) { return a + b; }, 0);
  }

  // Rewrite a field's value and keep the caret after the same number of digits.
  function rewrite(input, text) {
    var caret = input.selectionStart == null ? input.value.length : input.selectionStart;
    var atEnd = caret >= input.value.length;
    var before = input.value.slice(0, caret).replace(/\D/g, "").length;
    input.value = text;
    if (atEnd) before = Infinity;
    var pos = 0, seen = 0;
    while (pos < text.length && seen < before) {
      if (/\d/.test(text[pos])) seen++;
      pos++;
    }
    if (document.activeElement === input) input.setSelectionRange(pos, pos);
  }

  function formatExpiry(raw, deleting) {
    var digits = raw.replace(/\D/g, "");
    if (/^\s*\d\s*\//.test(raw) || (digits.length === 1 && +digits > 1)) digits = "0" + digits;
    var year = digits.slice(2);
    year = year.slice(0, /^20/.test(year) && year.length > 2 ? 4 : 2);
    if (digits.length < 2 || (digits.length === 2 && deleting)) return digits;
    return digits.slice(0, 2) + " / " + year;
  }

  function init(root) {
    var number = root.querySelector("#card_number");
    if (!number) return;
    var expiry = root.querySelector("#card_expiry");
    var cvc = root.querySelector("#card_cvc");
    var shown = root.querySelector("#card_brand");
    var hint = root.querySelector("#card_number-hint");

    function onNumber() {
      var digits = number.value.replace(/\D/g, "");
      var brand = brandOf(digits);
      digits = digits.slice(0, Math.min(19, maxDigits(brand[3])));
      rewrite(number, group(digits, brand[3]));
      if (shown) {
        shown.textContent = brand[2];
        shown.hidden = !brand[2];
        shown.dataset.brand = brand[0];
      }
      if (cvc) {
        cvc.maxLength = brand[4];
        cvc.placeholder = brand[4] === 4 ? "1234" : "123";
      }
      if (hint) hint.hidden = brand[5].indexOf(digits.length) < 0 || luhn(digits);
    }

    number.addEventListener("input", onNumber);
    if (expiry) {
      expiry.addEventListener("input", function (event) {
        var deleting = event.inputType && event.inputType.indexOf("delete") === 0;
        rewrite(expiry, formatExpiry(expiry.value, deleting));
      });
    }
    if (cvc) {
      cvc.addEventListener("input", function () {
        var digits = cvc.value.replace(/\D/g, "").slice(0, cvc.maxLength > 0 ? cvc.maxLength : 4);
        if (digits !== cvc.value) cvc.value = digits;
      });
    }
    if (number.value) onNumber();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();

/* Hosted checkout page enhancements. The page works without this script (the form posts to
   the server and the server validates everything); the script adds:
   - the customer session token from the URL fragment (#token=<JWT>): removed from the address
     bar, kept in the hidden "token" field so the order is bound to the buyer, used for the
     tax preview, and used to pre-fill the email when its claims carry one;
   - a live tax preview through POST /v1/actions/checkout/preview-tax; a quote is only ever
     shown for what the form holds now, and Pay waits (saying why) until the billing details
     are complete;
   - a guard against double submission;
   - on pages with a shipping step: the token in the shipping forms too (so it survives
     their round trips), the address pre-filled from the token's claims, and focus moved
     to what the server asks for (data-focus) after a step is submitted.
   Loaded with the CSP nonce; no inline handlers, no inline styles. */
(function () {
  "use strict";

  var form = document.getElementById("checkout-form");
  if (!form) {
    return;
  }
  var config = form.dataset;
  /* The page's sentences in its language (a JSON block the server translated); English if
     it is missing. */
  var text = (function () {
    var block = document.getElementById("checkout-text");
    var english = {
      reverseCharge: "Reverse charge",
      tax: "Tax",
      reverseChargeNote: "VAT reverse charge: your business accounts for the VAT.",
      incomplete: "Complete your billing details to see the tax. Tax calculated at payment.",
      unavailable: "Tax calculated at payment.",
      processing: "Processing…",
      pay: "Pay",
      taxNames: {},
    };
    try {
      return Object.assign(english, block ? JSON.parse(block.textContent) : {});
    } catch (error) {
      return english;
    }
  })();
  // Digits as the server writes them (babel's Latin digits), also for Arabic: one page,
  // one set of digits.
  var lang = (document.documentElement.lang || "en-US") + "-u-nu-latn";
  var euCountries = (config.euCountries || "").split(" ");
  var field = function (name) {
    return form.elements.namedItem(name);
  };
  var tokenField = field("token");
  var country = field("country");
  var stateUs = field("state_us");
  var stateCa = field("state_ca");
  var postcode = field("postcode");
  var isBusiness = field("is_business");
  var businessName = field("business_name");
  var taxId = field("tax_id");
  var email = field("email");
  var payButton = document.getElementById("pay-button");
  var payAmount = document.getElementById("pay-amount");
  var out = {
    subtotal: document.getElementById("summary-subtotal"),
    taxRow: document.getElementById("summary-tax-row"),
    taxLabel: document.getElementById("summary-tax-label"),
    tax: document.getElementById("summary-tax"),
    total: document.getElementById("summary-total"),
    note: document.getElementById("summary-note"),
  };

  /* --- customer session token ------------------------------------------------------- */

  function tokenFromFragment() {
    var hash = window.location.hash || "";
    var match = hash.match(/^#(?:.*&)?token=([^&]+)/);
    if (!match) {
      return "";
    }
    // The fragment never reaches the server; keep it out of history and bookmarks too.
    window.history.replaceState(
      window.history.state,
      "",
      window.location.pathname + window.location.search
    );
    try {
      return decodeURIComponent(match[1]);
    } catch (error) {
      return "";
    }
  }

  function claimsOf(token) {
    var parts = token.split(".");
    if (parts.length !== 3) {
      return null;
    }
    try {
      var base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
      while (base64.length % 4) {
        base64 += "=";
      }
      var binary = window.atob(base64);
      var bytes = new Uint8Array(binary.length);
      for (var i = 0; i < binary.length; i += 1) {
        bytes[i] = binary.charCodeAt(i);
      }
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      return null;
    }
  }

  var shippingForms = ["shipping-form", "shipping-method-form"]
    .map(function (id) {
      return document.getElementById(id);
    })
    .filter(Boolean);

  function prefillShipping(prefill) {
    var shippingForm = document.getElementById("shipping-form");
    if (!shippingForm || !prefill || shippingForm.dataset.hasAddress === "true") {
      return; // an address the buyer already saved wins over the token's
    }
    // Seed 002's buyer_info fields. The country select only holds a guess from the
    // browser's language, so the token's country replaces it; other fields are filled
    // only where empty.
    var countrySelect = shippingForm.elements.namedItem("ship_country_code");
    if (typeof prefill.country_code === "string" && countrySelect) {
      var code = prefill.country_code.toUpperCase();
      if (/^[A-Z]{2}$/.test(code) && countrySelect.querySelector('option[value="' + code + '"]')) {
        countrySelect.value = code;
      }
    }
    Object.keys(prefill).forEach(function (key) {
      if (typeof prefill[key] !== "string" || !/^[a-z0-9_]+$/.test(key)) {
        return;
      }
      var name = "ship_" + key;
      if (key === "province_code") {
        var countryCode = (prefill.country_code || "").toUpperCase();
        name = { US: "ship_province_us", CA: "ship_province_ca", AU: "ship_province_au" }[
          countryCode
        ] || "ship_province";
      }
      var input = shippingForm.elements.namedItem(name);
      if (input && !input.value) {
        input.value = key === "country_code" || key === "province_code"
          ? prefill[key].toUpperCase()
          : prefill[key];
      }
    });
  }

  var token = tokenFromFragment();
  if (token) {
    tokenField.value = token;
    var claims = claimsOf(token);
    var prefill = claims && claims.pre;
    if (prefill && typeof prefill.email === "string" && email && !email.value) {
      email.value = prefill.email;
    }
    prefillShipping(prefill);
  } else {
    token = tokenField.value || "";
  }
  shippingForms.forEach(function (shippingForm) {
    var hidden = shippingForm.elements.namedItem("token");
    if (hidden && token) {
      hidden.value = token;
    }
  });
  var tokenUsable = Boolean(token);

  /* --- keep the customer token fresh --------------------------------------------------
     Tokens live five minutes and refresh while the page is open, so a buyer who takes
     their time still pays under the identity the merchant gave them. */

  function setToken(fresh) {
    token = fresh;
    tokenField.value = fresh;
    shippingForms.forEach(function (shippingForm) {
      var hidden = shippingForm.elements.namedItem("token");
      if (hidden) {
        hidden.value = fresh;
      }
    });
  }

  function refreshToken() {
    var url = form && form.dataset.tokenUrl;
    var csrf = form && form.elements.namedItem("csrfmiddlewaretoken");
    if (!token || !url || !csrf) {
      return;
    }
    var body = new URLSearchParams({ token: token });
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf.value },
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.token) {
          setToken(data.token);
        }
      })
      .catch(function () {
        /* offline for a moment: the next tick tries again */
      });
  }

  if (token) {
    window.setInterval(refreshToken, 4 * 60 * 1000);
  }

  /* --- live tax preview ------------------------------------------------------------- */

  function formatMoney(amount, currency) {
    try {
      return new Intl.NumberFormat(lang, { style: "currency", currency: currency }).format(amount);
    } catch (error) {
      return amount + " " + currency;
    }
  }

  function formatRate(rate) {
    try {
      return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 4 }).format(
        rate / 100
      );
    } catch (error) {
      return rate + "%";
    }
  }

  var taxPreview = document.getElementById("tax-preview");
  var payReason = document.getElementById("pay-reason");
  // The server's own check of a postal code (checkout.web.payment_form._POSTCODE).
  var POSTCODE = /^[A-Za-z0-9][A-Za-z0-9 \-]{0,15}$/;

  /* The billing detail the form holds, or why there is none yet: "country", "stateUs",
     "stateCa" or "postcode" (the keys of #pay-reason's data attributes). */
  function billingState() {
    var code = country.value;
    if (!code) {
      return { reason: "country" };
    }
    var detail = { country: code, isBusiness: false };
    if (code === "US" || code === "CA") {
      var region = (code === "US" ? stateUs : stateCa).value;
      if (!region) {
        return { reason: code === "US" ? "stateUs" : "stateCa" };
      }
      detail.state = region;
    }
    var zip = postcode.value.trim();
    if (zip && !POSTCODE.test(zip)) {
      return { reason: "postcode" };
    }
    if (zip) {
      detail.postcode = zip;
    }
    if (isBusiness.checked) {
      var name = businessName.value.trim();
      var vat = taxId.value.trim();
      var inEu = euCountries.indexOf(code) !== -1;
      // An incomplete business is previewed as a consumer until its details are complete.
      if (name && (!inEu || vat)) {
        detail.isBusiness = true;
        detail.businessName = name;
        if (vat) {
          detail.taxId = vat;
        }
      }
    }
    return { detail: detail };
  }

  function showQuote(data) {
    var currency = data.currency || config.currency;
    out.subtotal.textContent = formatMoney(data.subtotal, currency);
    if (data.reverseCharge) {
      out.taxLabel.textContent = text.reverseCharge;
    } else if (data.taxName) {
      var taxName = text.taxNames[data.taxName] || data.taxName;
      out.taxLabel.textContent = taxName + " " + formatRate(data.taxRate);
    } else {
      out.taxLabel.textContent = text.tax;
    }
    out.tax.textContent = formatMoney(data.taxAmount, currency);
    out.taxRow.hidden = false;
    out.total.textContent = formatMoney(data.total, currency);
    out.note.textContent = data.reverseCharge ? text.reverseChargeNote : "";
    payAmount.textContent = formatMoney(data.total, currency);
  }

  /* Back to the price before tax, as the server shows it with no billing details: a quote
     for details the form no longer holds must never stay on screen. */
  function clearQuote(note) {
    out.subtotal.textContent = taxPreview.dataset.untaxedSubtotal;
    out.taxLabel.textContent = text.tax;
    out.tax.textContent = "";
    out.taxRow.hidden = true;
    out.total.textContent = taxPreview.dataset.untaxedTotal;
    out.note.textContent = note;
    payAmount.textContent = "";
  }

  /* Pay waits for complete billing details, and says what is missing. A button the server
     disabled (no shipping method yet) stays disabled whatever the billing details say. */
  function setPayReason(reason) {
    var serverBlocked = payButton.dataset.serverBlocked === "true";
    var described = serverBlocked ? ["pay-blocked-note"] : [];
    if (reason) {
      payReason.textContent = payReason.dataset[reason];
      payReason.hidden = false;
      described.push("pay-reason");
    } else {
      payReason.textContent = "";
      payReason.hidden = true;
    }
    payButton.disabled = serverBlocked || Boolean(reason);
    if (described.length) {
      payButton.setAttribute("aria-describedby", described.join(" "));
    } else {
      payButton.removeAttribute("aria-describedby");
    }
  }

  /* True while every billing field still holds what the server rendered, so the quote the
     server rendered for them (a retry after a decline) is still theirs. */
  function billingAsRendered() {
    return [country, stateUs, stateCa].every(function (select) {
      return Array.prototype.every.call(select.options, function (option) {
        return option.selected === option.defaultSelected;
      });
    }) && [postcode, businessName, taxId].every(function (input) {
      return input.value === input.defaultValue;
    }) && isBusiness.checked === isBusiness.defaultChecked;
  }

  var sequence = 0;
  var controller = null;
  var timer = null;

  function requestPreview(detail, useToken) {
    var headers = { "Content-Type": "application/json", "X-Environment": config.environment };
    if (useToken) {
      headers.Authorization = "Bearer " + token;
    } else {
      headers["X-Store-Slug"] = config.storeSlug;
    }
    return fetch(config.previewUrl, {
      method: "POST",
      headers: headers,
      credentials: "same-origin",
      body: JSON.stringify({ checkoutSessionId: config.sessionId, billingDetail: detail }),
      signal: controller.signal,
    });
  }

  /* Any answer still on its way is for details the form no longer holds: drop it. */
  function forgetPending() {
    window.clearTimeout(timer);
    if (controller) {
      controller.abort();
      controller = null;
    }
    sequence += 1;
  }

  /* What the form holds changed: at once, the old quote goes and Pay says whether it can be
     used; the new quote follows (``debounce``: after typing pauses). */
  function billingChanged(debounce, keepShownQuote) {
    forgetPending();
    var state = billingState();
    setPayReason(state.reason || "");
    if (!state.detail) {
      clearQuote(taxPreview.dataset.untaxedNote);
      return;
    }
    if (!keepShownQuote) {
      clearQuote(taxPreview.dataset.calculatingNote);
    }
    if (debounce) {
      timer = window.setTimeout(function () {
        preview(state.detail);
      }, 300);
    } else {
      preview(state.detail);
    }
  }

  function preview(detail) {
    controller = new AbortController();
    var mine = sequence;
    requestPreview(detail, tokenUsable)
      .then(function (response) {
        if (response.status === 401 && tokenUsable) {
          // An expired token still lets the buyer see the tax; paying will ask to reopen.
          tokenUsable = false;
          return requestPreview(detail, false);
        }
        return response;
      })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (result) {
        if (mine !== sequence) {
          return;
        }
        if (result.ok && result.body && result.body.data) {
          showQuote(result.body.data);
        } else {
          clearQuote(text.incomplete);
        }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        if (mine === sequence) {
          clearQuote(text.unavailable);
        }
      });
  }

  [country, stateUs, stateCa, isBusiness].forEach(function (element) {
    element.addEventListener("change", function () {
      billingChanged(false, false);
    });
  });
  [postcode, businessName, taxId].forEach(function (element) {
    element.addEventListener("input", function () {
      billingChanged(true, false);
    });
  });

  /* --- submission ------------------------------------------------------------------- */

  form.addEventListener("submit", function (event) {
    if (payButton.getAttribute("aria-busy") === "true") {
      event.preventDefault(); // the first submission is already on its way
      return;
    }
    payButton.setAttribute("aria-busy", "true");
    payButton.querySelector(".pay-label").textContent = text.processing;
  });

  shippingForms.forEach(function (shippingForm) {
    // Without this script the forms post to "…#shipping" so the browser scrolls back to the
    // step; with it, focus does that, and a fragment would take focus away again.
    shippingForm.setAttribute("action", shippingForm.getAttribute("action").split("#")[0]);
    shippingForm.addEventListener("submit", function (event) {
      var button = shippingForm.querySelector("button[type=submit]");
      if (!button) {
        return;
      }
      if (button.getAttribute("aria-busy") === "true") {
        event.preventDefault();
        return;
      }
      button.setAttribute("aria-busy", "true");
    });
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      payButton.removeAttribute("aria-busy");
      payButton.querySelector(".pay-label").textContent = text.pay;
      shippingForms.forEach(function (shippingForm) {
        var button = shippingForm.querySelector("button[type=submit]");
        if (button) {
          button.removeAttribute("aria-busy");
        }
      });
    }
  });

  var layout = document.getElementById("checkout-layout");
  var focusTarget = layout && layout.dataset.focus
    ? document.getElementById(layout.dataset.focus)
    : null;
  var summary = focusTarget || document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  // The quote the server rendered stays while it is re-checked, unless the browser restored
  // other values into the form (Back, reload) than the ones it was rendered for.
  billingChanged(false, !out.taxRow.hidden && billingAsRendered());
})();

/* One-page cart checkout: the shipping step without page loads. Without this script the
   address and method forms post and the page comes back (POST-redirect-GET); with it, the
   same fields go by fetch to the step's JSON twins (…/shipping.json, …/shipping-method.json),
   which run the same services and answer what the page would show: the methods (rendered
   by the server, the cheapest already chosen), the summary's figures, and the billing
   fields of the shipping address. The server stays the authority for every rule; this
   script only moves its answers onto the page, then lets checkout.js re-preview the tax
   from the billing fields. Loaded after checkout.js with the CSP nonce; no inline code. */
(function () {
  "use strict";

  var section = document.getElementById("shipping");
  var addressStep = document.getElementById("shipping-address-step");
  var payForm = document.getElementById("checkout-form");
  if (!section || !addressStep || !payForm || !window.fetch || !section.dataset.addressUrl) {
    return;
  }
  var methodsBox = document.getElementById("shipping-methods");
  var status = document.getElementById("shipping-status");
  var payButton = document.getElementById("pay-button");
  var blockedNote = document.getElementById("pay-blocked-note");
  var taxPreview = document.getElementById("tax-preview");
  var billingSame = payForm.elements.namedItem("billing_same");
  var csrf = payForm.elements.namedItem("csrfmiddlewaretoken");
  var BILLING_FIELDS = ["country", "state_us", "state_ca", "postcode"];
  var lastBilling = null;
  var busy = false;
  var initial = document.querySelector("#shipping-methods input[name=shipping_method_id]:checked");
  var chosenId = initial ? initial.value : "";

  function payField(name) {
    return payForm.elements.namedItem(name);
  }

  /* The answer in the actions API's envelope: {data} or {data: null, errors: [...]}. */
  function post(url, body) {
    var token = payField("token");
    if (token) {
      body.set("token", token.value); // kept fresh by checkout.js
    }
    return fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf.value, Accept: "application/json" },
      body: body,
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, status: response.status, body: body || {} };
      });
    });
  }

  /* --- the address step's errors, as the server words them ----------------------------- */

  function clearErrors() {
    Array.prototype.forEach.call(section.querySelectorAll(".js-error, #shipping-error-summary"),
      function (node) {
        node.remove();
      });
    Array.prototype.forEach.call(section.querySelectorAll("[data-js-invalid]"), function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      input.removeAttribute("data-js-invalid");
    });
  }

  function fieldHint(error) {
    var input = document.getElementById(error.field);
    if (!input) {
      return;
    }
    var hint = document.createElement("p");
    hint.className = "field-error js-error";
    hint.id = error.field + "-error";
    hint.textContent = error.message;
    input.insertAdjacentElement("afterend", hint);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", hint.id);
    input.setAttribute("data-js-invalid", "true");
  }

  function showErrors(result) {
    clearErrors();
    var errors = (result && result.body && result.body.errors) || [];
    var lead = errors[0] && result.status !== 403 ? errors[0].message : section.dataset.failedText;
    var box = document.createElement("div");
    box.className = "error-summary js-error";
    box.id = "shipping-error-summary";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    var first = document.createElement("p");
    first.className = "error-message";
    first.textContent = lead;
    box.appendChild(first);
    var list = document.createElement("ul");
    errors.slice(1).forEach(function (error) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + error.field;
      link.textContent = error.message;
      item.appendChild(link);
      list.appendChild(item);
      fieldHint(error);
    });
    if (list.children.length) {
      box.appendChild(list);
    }
    addressStep.insertAdjacentElement("beforebegin", box);
    box.focus();
  }

  /* --- the server's answer onto the page ----------------------------------------------- */

  function showSummary(figures) {
    document.getElementById("summary-items").textContent = figures.items;
    var amount = document.getElementById("summary-shipping");
    var label = document.querySelector("#summary-shipping-row dt");
    label.textContent = section.dataset.shippingLabel;
    amount.textContent = "";
    if (figures.shipping) {
      var detail = document.createElement("span");
      detail.className = "row-detail";
      detail.textContent = "(" + figures.shippingName + ")";
      label.appendChild(document.createTextNode(" "));
      label.appendChild(detail);
      amount.textContent = figures.shipping;
    } else {
      var pending = document.createElement("span");
      pending.className = "pending";
      pending.textContent = section.dataset.pendingText;
      amount.appendChild(pending);
    }
    // What checkout.js falls back to while it re-previews the tax, and before it can.
    taxPreview.dataset.untaxedSubtotal = figures.due;
    taxPreview.dataset.untaxedTotal = figures.due;
  }

  function fillBilling() {
    if (!lastBilling || !billingSame || !billingSame.checked) {
      return;
    }
    BILLING_FIELDS.forEach(function (name) {
      var input = payField(name);
      if (input) {
        input.value = lastBilling[name] || "";
      }
    });
  }

  function setPayable(complete) {
    payButton.dataset.serverBlocked = complete ? "false" : "true";
    if (blockedNote) {
      blockedNote.hidden = complete;
    }
  }

  function putToken(container) {
    var hidden = container.querySelector("input[name=token]");
    var source = payField("token");
    if (hidden && source) {
      hidden.value = source.value;
    }
  }

  function hideMethodButton() {
    var button = document.getElementById("shipping-method-button");
    if (button) {
      button.hidden = true; // a radio chooses at once
    }
  }

  function apply(state, newAddress) {
    if (newAddress) {
      addressStep.innerHTML = state.addressHtml;
      methodsBox.innerHTML = state.methodsHtml;
      methodsBox.hidden = false;
      putToken(addressStep);
      putToken(methodsBox);
    } else {
      // Only the sentence naming the chosen method changes (it is a status: read out).
      var fresh = document.createElement("div");
      fresh.innerHTML = state.methodsHtml;
      var chosen = fresh.querySelector("#shipping-chosen");
      var old = document.getElementById("shipping-chosen");
      if (chosen && old) {
        old.innerHTML = chosen.innerHTML;
      }
    }
    hideMethodButton();
    chosenId = String(state.chosenMethodId);
    showSummary(state.summary);
    var email = payField("email");
    if (email && !email.value && state.email) {
      email.value = state.email; // typed once, at the shipping step
    }
    lastBilling = state.billing;
    fillBilling();
    setPayable(state.complete);
    // checkout.js re-previews the tax for the billing fields and sets Pay's state.
    payField("country").dispatchEvent(new Event("change"));
    if (newAddress && status) {
      var chosenNow = document.getElementById("shipping-chosen");
      status.textContent = chosenNow ? chosenNow.textContent : "";
    }
  }

  function sendAddress(addressForm) {
    if (busy) {
      return;
    }
    busy = true;
    var button = document.getElementById("shipping-address-button");
    button.setAttribute("aria-busy", "true");
    post(section.dataset.addressUrl, new FormData(addressForm))
      .then(function (result) {
        if (!result.ok) {
          showErrors(result);
          return;
        }
        clearErrors();
        apply(result.body.data, true);
        var noMethod = document.getElementById("shipping-no-method");
        (noMethod || document.getElementById("shipping-methods-heading")).focus();
      })
      .catch(function () {
        showErrors(null);
      })
      .then(function () {
        busy = false;
        button.removeAttribute("aria-busy");
      });
  }

  /* The radio of the method the session has (a refused choice is not left checked). */
  function checkChosen() {
    var chosen = methodsBox.querySelector(
      "input[name=shipping_method_id][value='" + chosenId + "']"
    );
    if (chosen) {
      chosen.checked = true;
    }
  }

  function chooseMethod(radio) {
    var body = new FormData();
    body.append("shipping_method_id", radio.value);
    post(section.dataset.methodUrl, body)
      .then(function (result) {
        if (!result.ok) {
          checkChosen();
          showErrors(result);
          return;
        }
        apply(result.body.data, false);
      })
      .catch(function () {
        checkChosen();
        showErrors(null);
      });
  }

  /* Both forms are replaced by the server's answers: listen on the section. */
  section.addEventListener("submit", function (event) {
    if (event.target.id === "shipping-form") {
      event.preventDefault();
      sendAddress(event.target);
    } else if (event.target.id === "shipping-method-form") {
      event.preventDefault();
      var checked = event.target.querySelector("input[name=shipping_method_id]:checked");
      if (checked) {
        chooseMethod(checked);
      }
    }
  });
  methodsBox.addEventListener("change", function (event) {
    if (event.target && event.target.name === "shipping_method_id") {
      chooseMethod(event.target);
    }
  });

  /* Ticked, the billing fields are hidden (CSS) and hold the shipping address's; unticked,
     they show with those values for the buyer to change. */
  if (billingSame) {
    billingSame.addEventListener("change", function () {
      if (billingSame.checked) {
        fillBilling();
        payField("country").dispatchEvent(new Event("change"));
      }
    });
  }
  if (section.dataset.billing) {
    try {
      lastBilling = JSON.parse(section.dataset.billing);
    } catch (error) {
      lastBilling = null;
    }
  }
  hideMethodButton();
})();

/* Stripe Elements on hosted pages that Stripe serves. Loaded (with the CSP nonce) after the
   configured Stripe.js and before checkout.js:
   - on the checkout form (and the customer portal's update-card form, #card-form): mounts the card element in #card-element; on submit the card goes
     to Stripe, which answers a payment method (or, with Stripe.js builds that lack
     createPaymentMethod, such as localstripe's, a token); only that ID is posted to us, in
     the hidden "payment_method" field, never a card number;
   - on the authenticate page (#authenticate): confirmCardPayment (confirmCardSetup for a free
     trial's SetupIntent) for 3-D Secure, then back to
     our return URL, whose view reads the outcome from Stripe itself.
   Every text shown comes from the template (data-* attributes). */
(function () {
  "use strict";

  if (typeof Stripe !== "function") {
    return;
  }

  function tokenize(stripe, card) {
    var made = stripe.createPaymentMethod({ type: "card", card: card });
    return Promise.resolve(made).then(function (result) {
      if (result && result.paymentMethod) {
        return { id: result.paymentMethod.id };
      }
      if (result && result.error) {
        return { error: result.error };
      }
      return stripe.createToken(card).then(function (answer) {
        return answer && answer.token ? { id: answer.token.id } : { error: (answer && answer.error) || {} };
      });
    });
  }

  /* Stripe's card field speaks the page's language: its locale names are the page's
     language tags, but Chinese is "zh" and only Brazilian Portuguese keeps its region. */
  function stripeLocale() {
    var tag = document.documentElement.lang || "en";
    return tag === "pt-BR" ? tag : tag.split("-")[0];
  }

  function mountCard(form) {
    var stripe = Stripe(form.dataset.stripeKey);
    var card = stripe.elements({ locale: stripeLocale() }).create("card");
    card.mount("#card-element");
    var methodField = form.elements.namedItem("payment_method");
    var errorBox = document.getElementById("card-error");
    var note = document.getElementById("card-processing-note");
    var busy = false;
    form.addEventListener("submit", function (event) {
      if (methodField.value) {
        return; // Stripe has the card; the form now posts its ID
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      if (busy) {
        return;
      }
      busy = true;
      note.hidden = false;
      errorBox.hidden = true;
      tokenize(stripe, card).then(function (result) {
        busy = false;
        note.hidden = true;
        if (result.error) {
          errorBox.textContent = result.error.message || errorBox.dataset.fallback;
          errorBox.hidden = false;
          return;
        }
        methodField.value = result.id;
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      });
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        methodField.value = ""; // back from the next page: a new card needs a new token
      }
    });
  }

  function authenticate(section) {
    var stripe = Stripe(section.dataset.stripeKey);
    var back = function () {
      window.location.assign(section.dataset.returnUrl);
    };
    var secret = section.dataset.clientSecret;
    // A free trial saves the card with a SetupIntent (seti_…): nothing is charged.
    var confirm = secret.indexOf("seti_") === 0 ? stripe.confirmCardSetup : stripe.confirmCardPayment;
    Promise.resolve(confirm.call(stripe, secret)).then(back, back);
  }

  var form = document.getElementById("checkout-form") || document.getElementById("card-form");
  if (form && form.dataset.stripeKey) {
    mountCard(form);
  }
  var section = document.getElementById("authenticate");
  if (section) {
    authenticate(section);
  }
})();

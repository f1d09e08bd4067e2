// Keyboard play: keys 1-4 pick an option, Enter goes on to the next question.
// Everything here is a shortcut for a button or link that works without it.
(function () {
  "use strict";

  function typing(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    var option = document.querySelector('#card [data-option-key="' + event.key + '"]');
    if (option && !option.disabled) {
      event.preventDefault();
      option.click();
      return;
    }
    // Enter on a focused button or link (such as "I was right") is that control's own.
    var control = event.target instanceof Element && event.target.closest("button, a[href]");
    if (event.key === "Enter" && !control) {
      var next = document.querySelector("#card [data-next]");
      if (next && document.activeElement !== next) {
        event.preventDefault();
        next.click();
      }
    }
  });

  // The keys work only with this script: their tip is hidden until it runs, on each new card.
  function showKeysHelp() {
    document.querySelectorAll("#card .keys-help[hidden]").forEach(function (tip) {
      tip.hidden = false;
    });
  }
  showKeysHelp();
  document.body.addEventListener("htmx:afterSwap", showKeysHelp);

  // After HTMX swaps a card in, put the focus where the keyboard wants it next.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var card = document.getElementById("card");
    if (!card || !card.contains(event.target) && event.target !== card) {
      return;
    }
    var focus = card.querySelector("[autofocus]") || card.querySelector("h1");
    if (focus) {
      if (focus.tagName === "H1") {
        focus.setAttribute("tabindex", "-1");
      }
      focus.focus();
    }
  });
})();

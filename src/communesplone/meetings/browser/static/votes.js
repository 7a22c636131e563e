/* The votes page: "(everyone)" buttons set every member's vote to one value. */
(function () {
  "use strict";

  function init() {
    document.querySelectorAll("button.vote-all").forEach(function (button) {
      button.addEventListener("click", function () {
        var form = button.closest("form");
        form.querySelectorAll("input[type='radio'][value='" + button.dataset.value + "']")
          .forEach(function (radio) {
            radio.checked = true;
          });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// The meeting form: when the date changes, show the representatives appointed on
// that date (and any already ticked or with an error, so nothing is lost unseen).
// Without JavaScript the server shows the rows for the new date before saving.
(function () {
  "use strict";
  function setUp() {
    var form = document.querySelector("form.meeting-form");
    if (!form) return;
    var date = form.querySelector("input[name=date]");
    var shown = form.querySelector("input[name=shown_date]");
    var empty = form.querySelector(".no-representatives");
    var rows = form.querySelectorAll("tr[data-valid-from]");
    if (!date) return;
    function update() {
      var day = date.value;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
      var visible = 0;
      rows.forEach(function (row) {
        var from = row.getAttribute("data-valid-from");
        var to = row.getAttribute("data-valid-to");
        var appointed = from <= day && (!to || day <= to);
        var box = row.querySelector("input[type=checkbox]");
        var keep = appointed || (box && box.checked) || row.classList.contains("has-error");
        row.hidden = !keep;
        if (keep) visible += 1;
      });
      if (empty) empty.hidden = visible > 0;
      if (shown) shown.value = day;
    }
    date.addEventListener("change", update);
    date.addEventListener("input", update);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

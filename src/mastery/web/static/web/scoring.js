// Keyboard movement in the scoring grid, like a spreadsheet: arrows, Enter (down), Shift+Enter (up).
// Saving is htmx's job (each input posts on change); this file moves the focus, commits the cell
// on the edge of the grid (where Enter cannot move on), and drops a post of an unchanged value.
(function () {
  "use strict";
  const grid = document.querySelector("[data-score-grid]");
  if (!grid) return;

  function cellAt(row, col) {
    return grid.querySelector(`input.score-input[data-row="${row}"][data-col="${col}"]`);
  }

  function move(input, rowStep, colStep) {
    const row = Number(input.dataset.row) + rowStep;
    const col = Number(input.dataset.col) + colStep;
    const target = cellAt(row, col);
    if (target) {
      target.focus();
      return true;
    }
    return false;
  }

  grid.addEventListener("focusin", function (event) {
    if (event.target.matches("input.score-input")) event.target.select();
  });

  grid.addEventListener("keydown", function (event) {
    const input = event.target;
    if (!input.matches("input.score-input")) return;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    let moved = false;
    if (event.key === "Enter") {
      moved = move(input, event.shiftKey ? -1 : 1, 0);
      // Where Enter cannot move on, it commits the cell (the request below is dropped if unchanged).
      if (!moved) input.dispatchEvent(new Event("change", { bubbles: true }));
      event.preventDefault();
    } else if (event.key === "ArrowDown") {
      moved = move(input, 1, 0);
    } else if (event.key === "ArrowUp") {
      moved = move(input, -1, 0);
    } else if (event.key === "ArrowRight" && (atEnd || input.selectionStart !== input.selectionEnd)) {
      moved = move(input, 0, 1);
    } else if (event.key === "ArrowLeft" && (atStart || input.selectionStart !== input.selectionEnd)) {
      moved = move(input, 0, -1);
    }
    if (moved) event.preventDefault();
  });

  // Only a changed value is saved: the grid shows the latest score from any date, so posting an
  // unchanged one with today's date would add a second at-bat for the same work. A value is
  // unchanged if it is the cell's saved score or the one already on its way (Enter, then the
  // browser's own change event on leaving the cell, must not post it twice).
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    const input = event.detail.elt;
    if (!(input instanceof HTMLInputElement) || !input.matches("input.score-input")) return;
    if (input.value === input.defaultValue || input.value === input.dataset.sending) {
      event.preventDefault();
      return;
    }
    input.dataset.sending = input.value;
  });

  // A saved value is the cell's new starting point (a cleared cell keeps its score: see the
  // message in the cell); a failed one can be sent again.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    const input = event.detail.elt;
    if (!(input instanceof HTMLInputElement) || !input.matches("input.score-input")) return;
    const sent = input.dataset.sending;
    delete input.dataset.sending;
    const saved = event.detail.xhr && event.detail.xhr.status === 200;
    if (saved && sent !== undefined && sent.trim() !== "") input.defaultValue = sent;
  });
})();

// Keyboard movement in the scoring grid, like a spreadsheet: arrows, Enter (down), Shift+Enter (up).
// Saving is htmx's job (each input posts on change); this file moves the focus, and on the edge
// of the grid (where Enter cannot move on) saves a value that was changed.
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
      // Only a changed value is saved: the grid shows the latest score from any date, so posting
      // an unchanged one with today's date would add a second at-bat for the same work.
      if (!moved && input.value !== input.defaultValue) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
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

  // A saved value is the cell's new starting point (a cleared cell keeps its score: see the
  // message in the cell).
  document.body.addEventListener("htmx:afterRequest", function (event) {
    const input = event.detail.elt;
    if (!(input instanceof HTMLInputElement) || !input.matches("input.score-input")) return;
    const saved = event.detail.xhr && event.detail.xhr.status === 200;
    if (saved && input.value.trim() !== "") input.defaultValue = input.value;
  });
})();

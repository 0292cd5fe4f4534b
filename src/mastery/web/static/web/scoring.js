// Keyboard movement in the scoring grid, like a spreadsheet: arrows, Enter (down), Shift+Enter (up).
// Saving is htmx's job (each input posts on change); this file only moves the focus.
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
})();

/* Label every table cell with its column heading, so that a table stacked into cards on a
   phone (site.css, "Phone first") still says what each value is. Cells that set their
   own data-label keep it; tables without a head are left alone. */
(function () {
  "use strict";
  document.querySelectorAll("table.table").forEach(function (table) {
    var headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!headRow) return;
    var headings = [];
    Array.prototype.forEach.call(headRow.cells, function (cell) {
      for (var span = 0; span < (cell.colSpan || 1); span++) headings.push(cell.textContent.trim());
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && headings[column]) cell.setAttribute("data-label", headings[column]);
          column += cell.colSpan || 1;
        });
      });
    });
  });
})();

/* The meeting page: reorder the agenda by drag and drop.
 *
 * Dropping an item on another one moves it to that one's position: the page
 * POSTs uid + position to @@agenda-move (with the form authenticator), then
 * reloads to show the new numbers; a refused move shows the server's message.
 * Without JavaScript, the page's "move" form does the same.
 */
(function () {
  "use strict";

  function init() {
    var agenda = document.getElementById("meeting-agenda");
    if (!agenda || !agenda.dataset.moveUrl) {
      return;
    }
    var status = document.getElementById("agenda-move-status");
    var dragged = null;

    function show(message) {
      if (!status) {
        return;
      }
      status.textContent = "";
      var alert = document.createElement("div");
      alert.className = "alert alert-danger";
      alert.textContent = message;
      status.appendChild(alert);
    }

    function unmark() {
      agenda.querySelectorAll("tr.drop-target").forEach(function (row) {
        row.classList.remove("drop-target", "table-active");
      });
    }

    function move(uid, position) {
      var body = new FormData();
      body.append("uid", uid);
      body.append("position", position);
      body.append("_authenticator", agenda.dataset.authenticator || "");
      fetch(agenda.dataset.moveUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (response.ok) {
              window.location.reload();
            } else {
              show(data.error || response.statusText);
            }
          });
        })
        .catch(function () {
          show(status ? status.dataset.errorMessage : "Error");
        });
    }

    agenda.querySelectorAll("tr.agenda-item[draggable='true']").forEach(function (row) {
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        row.classList.add("opacity-50");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.dataset.uid);
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("opacity-50");
        unmark();
        dragged = null;
      });
      row.addEventListener("dragover", function (event) {
        if (!dragged || dragged === row) {
          return;
        }
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        if (!row.classList.contains("drop-target")) {
          unmark();
          row.classList.add("drop-target", "table-active");
        }
      });
      row.addEventListener("drop", function (event) {
        event.preventDefault();
        var source = dragged;
        unmark();
        if (source && source !== row) {
          move(source.dataset.uid, row.dataset.position);
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// Live ticket replies: graphql-transport-ws over /portal/live (the session cookie signs it in).
// The subscription document comes from the page (data-query), rendered from ticket_events.graphql.
(function () {
  "use strict";
  var thread = document.getElementById("thread");
  if (!thread || !window.WebSocket) { return; }
  var query = thread.getAttribute("data-query");
  var ticketId = thread.getAttribute("data-ticket");
  var agentLabel = thread.getAttribute("data-agent-label");
  var seen = {};
  Array.prototype.forEach.call(thread.querySelectorAll("[data-message]"), function (item) {
    seen[item.getAttribute("data-message")] = true;
  });
  function show(message) {
    if (!message || seen[message.id]) { return; }
    seen[message.id] = true;
    var item = document.createElement("li");
    item.setAttribute("data-message", message.id);
    if (message.internal) { item.className = "internal"; }
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = (message.author && message.author.displayName) || agentLabel;
    var body = document.createElement("p");
    body.textContent = message.body;
    item.appendChild(who);
    item.appendChild(body);
    thread.appendChild(item);
    var status = document.getElementById("live-status");
    if (status) { status.textContent = message.body; }
  }
  var attempts = 0;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/portal/live", "graphql-transport-ws");
    socket.onopen = function () { socket.send(JSON.stringify({type: "connection_init", payload: {}})); };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "connection_ack") {
        attempts = 0;
        thread.setAttribute("data-live", "on");
        socket.send(JSON.stringify({id: "1", type: "subscribe",
          payload: {query: query, variables: {ticketId: ticketId}}}));
      } else if (data.type === "ping") {
        socket.send(JSON.stringify({type: "pong"}));
      } else if (data.type === "next" && data.payload && data.payload.data) {
        show(data.payload.data.ticketEvents.message);
      }
    };
    socket.onclose = function () {
      thread.setAttribute("data-live", "off");
      attempts += 1;
      if (attempts < 6) { setTimeout(connect, 1000 * attempts); }
    };
  }
  connect();
})();

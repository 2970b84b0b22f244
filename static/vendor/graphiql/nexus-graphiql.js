// Starts GraphiQL on /graphql/ (same origin): the session's CSRF token goes with every request,
// and a bearer token can be set in the "Headers" pane ({"Authorization": "Bearer ..."}).
(function () {
  "use strict";
  var url = window.location.href.split("?")[0];
  var headers = {};
  var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  }
  var wsUrl = new URL(url);
  wsUrl.protocol = wsUrl.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({ url: url, headers: headers, subscriptionUrl: wsUrl.toString() });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
    })
  );
})();

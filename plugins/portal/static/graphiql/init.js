// GraphiQL from this site's own copies of graphiql, react and react-dom (no CDN).
(function () {
  "use strict";
  var fetcher = GraphiQL.createFetcher({url: "/graphql"});
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, {fetcher: fetcher, defaultEditorToolsVisibility: true}));
})();

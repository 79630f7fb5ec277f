// Starts the GraphiQL explorer on the page served by gql/explorer.py. Everything it loads is
// served by eventql itself (see graphiql/VERSIONS.json): no CDN, so it works offline.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("explorer-config").textContent);

  // GraphiQL keeps tabs, history and settings in localStorage. A namespace of our own, tied to
  // the set of examples, keeps other GraphiQL pages on the same origin out of it and shows
  // the examples afresh when they change.
  function namespacedStorage(prefix) {
    try {
      var probe = prefix + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
    } catch (e) {
      return null; // storage disabled: GraphiQL runs without persistence
    }
    function ownKeys() {
      return Object.keys(window.localStorage).filter(function (key) {
        return key.indexOf(prefix) === 0;
      });
    }
    return {
      getItem: function (key) { return window.localStorage.getItem(prefix + key); },
      setItem: function (key, value) { window.localStorage.setItem(prefix + key, value); },
      removeItem: function (key) { window.localStorage.removeItem(prefix + key); },
      clear: function () { ownKeys().forEach(function (key) { window.localStorage.removeItem(key); }); },
      get length() { return ownKeys().length; },
    };
  }

  var fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  // The query builder, and the results view (results-view.js): map, timeline and bar charts
  // of the current result.
  var plugins = [GraphiQLPluginExplorer.explorerPlugin(), EventqlResults.plugin()];
  var tabs = config.examples.map(function (example) {
    return { query: example.query, variables: example.variables || undefined };
  });

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: tabs,
      storage: namespacedStorage(config.storageNamespace + ":"),
      plugins: plugins,
      // Open the documentation explorer: the schema's descriptions are the API's manual.
      visiblePlugin: GraphiQL.React.DOC_EXPLORER_PLUGIN,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    }),
  );
})();

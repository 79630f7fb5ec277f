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

  // Whether the operation GraphiQL runs is a subscription (from the document it parsed).
  function isSubscription(params, options) {
    var definitions = (options && options.documentAST && options.documentAST.definitions) || [];
    var operations = definitions.filter(function (d) { return d.kind === "OperationDefinition"; });
    var chosen = operations.find(function (d) {
      return params.operationName ? d.name && d.name.value === params.operationName : true;
    });
    return Boolean(chosen && chosen.operation === "subscription");
  }

  // Subscriptions run over GraphQL over Server-Sent Events (the graphql-sse protocol, distinct
  // connections mode, at config.streamEndpoint): a POST read as a stream with fetch, so it
  // needs no vendored client, stays within `connect-src 'self'`, and sends the headers
  // editor's headers as any request does. GraphiQL shows each `next` event as it arrives;
  // its stop button aborts the request, which ends the subscription on the server.
  function subscribeOverSse(params, options) {
    return {
      subscribe: function (observer) {
        var controller = new AbortController();
        var headers = Object.assign(
          { "content-type": "application/json", accept: "text/event-stream" },
          (options && options.headers) || {},
        );
        fetch(config.streamEndpoint, {
          method: "POST",
          headers: headers,
          body: JSON.stringify(params),
          signal: controller.signal,
        })
          .then(function (response) {
            var type = response.headers.get("content-type") || "";
            if (!response.ok || type.indexOf("text/event-stream") !== 0) {
              // A refused request has a GraphQL-style JSON body: show it as a result.
              return response.text().then(function (text) {
                var body;
                try {
                  body = JSON.parse(text);
                } catch (e) {
                  body = { errors: [{ message: response.status + " " + text }] };
                }
                observer.next(body);
                observer.complete();
              });
            }
            return readEvents(response.body, observer);
          })
          .catch(function (error) {
            if (!controller.signal.aborted) observer.error(error);
          });
        return { unsubscribe: function () { controller.abort(); } };
      },
    };
  }

  // The event stream: events are separated by a blank line; `event:` names one, `data:` lines
  // carry its JSON, and lines starting with ":" are keep-alive comments.
  function readEvents(body, observer) {
    var reader = body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function dispatch(block) {
      var name = "message";
      var data = [];
      block.split(/\r?\n/).forEach(function (line) {
        if (line === "" || line.charAt(0) === ":") return;
        var colon = line.indexOf(":");
        var field = colon < 0 ? line : line.slice(0, colon);
        var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") name = value;
        else if (field === "data") data.push(value);
      });
      if (name === "next") observer.next(JSON.parse(data.join("\n")));
      return name === "complete";
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          observer.complete();
          return;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        var end;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          var block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
          if (dispatch(block)) {
            reader.cancel();
            observer.complete();
            return;
          }
        }
        return pump();
      });
    }
    return pump();
  }

  var httpFetcher = GraphiQL.createFetcher({ url: config.endpoint });
  function fetcher(params, options) {
    return isSubscription(params, options)
      ? subscribeOverSse(params, options)
      : httpFetcher(params, options);
  }
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

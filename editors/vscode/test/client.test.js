// The client with VS Code and the LSP client library stood in for: activate() starts `reportdsl lsp`
// for reportdsl documents, and honours the reportdsl.command setting.
const test = require("node:test");
const assert = require("node:assert");
const Module = require("node:module");

function loadExtension(setting) {
  const started = [];
  const fakes = {
    vscode: {
      workspace: {
        getConfiguration: () => ({ get: () => setting }),
        createFileSystemWatcher: (pattern) => ({ pattern }),
      },
      commands: { registerCommand: (name) => ({ name }) },
      window: {},
    },
    "vscode-languageclient/node": {
      LanguageClient: class {
        constructor(id, name, server, options) {
          Object.assign(this, { id, server, options });
          started.push(this);
        }
        start() { this.running = true; }
      },
    },
  };
  const resolve = Module._load;
  Module._load = (request, ...rest) => (request in fakes ? fakes[request] : resolve(request, ...rest));
  try {
    delete require.cache[require.resolve("../extension.js")];
    const extension = require("../extension.js");
    const context = { subscriptions: [] };
    extension.activate(context);
    return { started, context };
  } finally {
    Module._load = resolve;
  }
}

test("activating starts `reportdsl lsp` for reportdsl documents", () => {
  const { started, context } = loadExtension(["reportdsl"]);
  assert.strictEqual(started.length, 1);
  assert.deepStrictEqual(started[0].server, { command: "reportdsl", args: ["lsp"] });
  assert.deepStrictEqual(started[0].options.documentSelector, [{ scheme: "file", language: "reportdsl" }]);
  assert.ok(started[0].running);
  assert.deepStrictEqual(context.subscriptions.map((s) => s.name), ["reportdsl.preview"]);
});

test("the reportdsl.command setting runs the server another way", () => {
  const { started } = loadExtension(["python3", "-m", "reportdsl"]);
  assert.deepStrictEqual(started[0].server, { command: "python3", args: ["-m", "reportdsl", "lsp"] });
});

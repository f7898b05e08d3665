// The client: starts `reportdsl lsp` for .rpt files, and a command that runs `reportdsl preview`.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function reportdslCommand() {
  const configured = vscode.workspace.getConfiguration("reportdsl").get("command");
  return Array.isArray(configured) && configured.length ? configured : ["reportdsl"];
}

function activate(context) {
  const [command, ...args] = reportdslCommand();
  const server = { command, args: [...args, "lsp"] };
  client = new LanguageClient("reportdsl", "reportdsl", server, {
    documentSelector: [{ scheme: "file", language: "reportdsl" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.rpt") },
  });
  client.start();
  context.subscriptions.push(vscode.commands.registerCommand("reportdsl.preview", () => preview()));
}

function preview() {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "reportdsl") {
    vscode.window.showInformationMessage("Open a .rpt report to preview it.");
    return;
  }
  const [command, ...args] = reportdslCommand();
  const terminal = vscode.window.createTerminal("reportdsl preview");
  terminal.sendText([command, ...args, "preview", editor.document.fileName].map(quote).join(" "));
  terminal.show();
}

function quote(word) {
  return /^[\w\/.:-]+$/.test(word) ? word : "'" + word.replace(/'/g, "'\\''") + "'";
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

"""What an editor needs of a compiled report: where each name, item and measure is used and defined
(index), the answers to hover, definition, completion and the rest (features), the language server
that speaks them (lsp), and the live preview (preview)."""

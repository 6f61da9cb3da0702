// Annotating a document: text selected in it fills the passage field.
// Without this script, editors paste the passage or find it by its words.
document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("document-text");
  const passage = document.getElementById("id_passage");
  if (!text || !passage) return;
  text.addEventListener("mouseup", () => {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    if (!text.contains(selection.anchorNode) || !text.contains(selection.focusNode)) return;
    const chosen = selection.toString().trim();
    if (chosen) {
      passage.value = chosen;
      passage.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
});

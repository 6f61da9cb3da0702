// The article body's editor (editorial/admin/widgets.py).
//
// "Insert an image" uploads a file with the alt text the author writes and puts
// ![alt text](address) at the cursor. django-markdownx would insert a dropped or
// pasted image as ![](address), with no alt text: such a file goes to this control
// instead, which asks for its alt text first.
//
// The content checks beside the editor are fetched again after each live preview.
(() => {
  "use strict";

  function csrfToken(form) {
    const field = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    const cookie = document.cookie
      .split("; ")
      .find((row) => row.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
  }

  function post(url, fields, form) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken(form));
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    return fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" },
    });
  }

  function setUpImageControl(root, editor) {
    const control = root.querySelector(".insert-image");
    const fileInput = control.querySelector("[data-image-file]");
    const altInput = control.querySelector("[data-image-alt]");
    const button = control.querySelector("[data-insert-image]");
    const status = control.querySelector(".insert-image-status");
    const uploadUrl = editor.dataset.markdownxUploadUrlsPath;
    // Until the author puts the cursor somewhere, an image goes at the end.
    let placed = false;

    const say = (message) => {
      status.textContent = message;
    };
    const refuse = (field, message) => {
      field.setAttribute("aria-invalid", "true");
      say(message);
      field.focus();
    };
    for (const field of [fileInput, altInput]) {
      field.addEventListener("input", () => field.removeAttribute("aria-invalid"));
      field.addEventListener("change", () => field.removeAttribute("aria-invalid"));
    }

    for (const type of ["input", "mouseup"]) {
      editor.addEventListener(type, () => {
        placed = true;
      });
    }
    editor.addEventListener("keyup", (event) => {
      if (event.key !== "Tab" && event.key !== "Shift") placed = true;
    });

    const insertAtCursor = (code) => {
      let text = code;
      let start = editor.selectionStart;
      let end = editor.selectionEnd;
      if (!placed) {
        const value = editor.value;
        start = end = value.length;
        if (value && !value.endsWith("\n\n")) {
          text = (value.endsWith("\n") ? "\n" : "\n\n") + text;
        }
      }
      editor.setRangeText(text, start, end, "end");
      placed = true;
      // django-markdownx renders its preview again on input.
      editor.dispatchEvent(new Event("input", { bubbles: true }));
      editor.focus();
    };

    const insertImage = async () => {
      const file = fileInput.files[0];
      const alt = altInput.value.trim();
      if (!file) return refuse(fileInput, "Choose an image file first.");
      if (!alt) {
        return refuse(
          altInput,
          "Write the alt text first: what the image shows, for readers who cannot see it.",
        );
      }
      button.disabled = true;
      say("Uploading the image…");
      try {
        const response = await post(uploadUrl, { image: file, alt }, editor.form);
        const answer = await response.json().catch(() => ({}));
        if (response.ok && answer.image_code) {
          insertAtCursor(answer.image_code);
          fileInput.value = "";
          altInput.value = "";
          say("The image is in the text, with its alt text.");
        } else {
          const reason = (answer.alt || answer.image || [])[0];
          refuse(
            answer.alt ? altInput : fileInput,
            reason || `The image was not uploaded: the server answered ${response.status}.`,
          );
        }
      } catch (error) {
        refuse(fileInput, "The image was not uploaded: check the connection and try again.");
      } finally {
        button.disabled = false;
      }
    };

    button.addEventListener("click", insertImage);
    altInput.addEventListener("keydown", (event) => {
      // Enter here would otherwise submit, and save, the whole change form.
      if (event.key === "Enter") {
        event.preventDefault();
        insertImage();
      }
    });

    // A file dropped or pasted on the editor waits here for its alt text.
    const takeFiles = (event, files) => {
      if (!files || !files.length) return;
      event.preventDefault();
      event.stopPropagation();
      const transfer = new DataTransfer();
      transfer.items.add(files[0]);
      fileInput.files = transfer.files;
      fileInput.removeAttribute("aria-invalid");
      const more = files.length > 1 ? " Insert the other files one at a time." : "";
      say(`“${files[0].name}” is ready: write its alt text, then press Insert image.${more}`);
      altInput.focus();
    };
    // In the capture phase, before django-markdownx's own handlers on the editor.
    root.addEventListener("drop", (event) => takeFiles(event, event.dataTransfer?.files), true);
    root.addEventListener(
      "paste",
      (event) => takeFiles(event, event.clipboardData?.files),
      true,
    );

    control.hidden = false;
  }

  // django-markdownx makes Tab indent in the text, so the keyboard could never
  // leave it: after Escape, Tab and Shift+Tab move on, as in most code editors.
  function setUpKeyboardExit(root, editor) {
    let escaped = false;
    root.addEventListener(
      "keydown",
      (event) => {
        if (event.target !== editor || event.key === "Shift") return;
        if (event.key === "Tab" && escaped) event.stopPropagation();
        escaped = event.key === "Escape";
      },
      true,
    );
  }

  function setUpChecks(root, editor) {
    const checks = root.querySelector(".content-checks");
    let latest = 0;
    // django-markdownx announces each preview on the .markdownx element itself.
    root.addEventListener("markdownx.update", async () => {
      const request = ++latest;
      try {
        const fields = { content: editor.value };
        const response = await post(checks.dataset.checksUrl, fields, editor.form);
        const html = await response.text();
        // Only the newest text's checks; an error keeps the last ones shown.
        if (response.ok && request === latest) checks.innerHTML = html;
      } catch (error) {
        // Offline for a moment: the next preview tries again.
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const root of document.querySelectorAll(".article-body-editor")) {
      const editor = root.querySelector("textarea.markdownx-editor");
      if (!editor) continue;
      setUpImageControl(root, editor);
      setUpKeyboardExit(root, editor);
      setUpChecks(root, editor);
    }
  });
})();

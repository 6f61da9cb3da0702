// Suggestions for the comparison tables' long choice fields (knowledge/tables/choices.py).
//
// Each such field is an <input type="search" data-suggest="/suggest/foods/"> bound to
// an empty <datalist>. Once the reader pauses in typing, the names that contain what
// they typed are fetched and put in the datalist: the browser lists them under the
// field, and keyboards and screen readers use them as they use any datalist. Without
// this script the field still takes a name typed in full.
(() => {
  "use strict";

  // How long typing must pause before suggestions are fetched: one request for a
  // word typed at speed, not one for each letter.
  const PAUSE_MS = 250;

  function setUp(input) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    const maxLength = Number(input.dataset.suggestMaxLength) || 100;
    let timer = 0;
    let controller = null;
    let asked = "";

    function show(names) {
      list.replaceChildren(
        ...names.map((name) => {
          const option = document.createElement("option");
          option.value = name;
          return option;
        }),
      );
    }

    async function suggest(text) {
      if (controller) controller.abort(); // only the latest answer is wanted
      controller = new AbortController();
      const url = new URL(input.dataset.suggest, window.location.href);
      url.searchParams.set("q", text);
      try {
        const response = await fetch(url, {
          signal: controller.signal,
          headers: { Accept: "application/json" },
        });
        if (!response.ok) return;
        const { suggestions } = await response.json();
        // The reader may have typed on while the answer was on its way.
        if (input.value.trim().slice(0, maxLength) === text) show(suggestions);
      } catch {
        // Aborted, or the network failed: the field still takes a typed name.
      }
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      const text = input.value.trim().slice(0, maxLength);
      // Picking a suggestion puts its name in the field: nothing more to suggest.
      const picked = [...list.options].some((option) => option.value === input.value);
      if (text === asked || picked) return;
      if (!text) {
        asked = "";
        show([]);
        return;
      }
      timer = window.setTimeout(() => {
        asked = text;
        suggest(text);
      }, PAUSE_MS);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(setUp);
})();

// Progressive enhancement for the order-taking screens. Without this file every
// screen still works: dialogs render open, both tabs show, forms post.
(function () {
  "use strict";

  // While a modal dialog is open, everything outside it is hidden from
  // assistive technology (and from role queries), so "Add" in the summary is
  // the only "Add" there is. Recomputed after every open, close and swap.
  function syncHiddenOutsideModal() {
    document.querySelectorAll("[data-modal-hidden]").forEach(function (el) {
      el.removeAttribute("aria-hidden");
      el.removeAttribute("data-modal-hidden");
    });
    var modals = Array.prototype.filter.call(document.querySelectorAll("dialog[open]"), function (d) {
      return d.matches(":modal");
    });
    var top = modals[modals.length - 1];
    for (var node = top; node && node !== document.body; node = node.parentElement) {
      Array.prototype.forEach.call(node.parentElement.children, function (sibling) {
        if (sibling === node || sibling.tagName === "SCRIPT" || sibling.hasAttribute("aria-hidden")) return;
        sibling.setAttribute("aria-hidden", "true");
        sibling.setAttribute("data-modal-hidden", "");
      });
    }
  }

  // The first element, by order of preference, that can take the focus (not
  // inside a closed <details>, not hidden).
  function firstFocusable(root, selectors) {
    for (var i = 0; i < selectors.length; i++) {
      var found = Array.prototype.find.call(root.querySelectorAll(selectors[i]), function (el) {
        return el.getClientRects().length > 0 && !el.disabled;
      });
      if (found) return found;
    }
    return null;
  }

  // The new line's item number box, where the clerk types most: where the focus
  // goes back to when what had it is gone.
  function itemNumberBox() {
    return document.querySelector("#add-line-form input[name=item_number]");
  }

  // A prefilled amount the clerk has not changed is selected when it gets the
  // focus (htmx's autofocus of a swapped-in dialog, Tab, a click): typing
  // replaces it and Enter accepts it, never "20" typed in front of "120.00".
  function selectUntouched(input) {
    if (input.type === "text" && input.value && input.value === input.defaultValue && input.select) {
      input.select();
    }
  }
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("input[inputmode=decimal]")) selectUntouched(event.target);
  });

  // What had the focus when a request for a dialog went out: the control that opens
  // a dialog (Complete, Add, Refund due...) gets the focus back when the dialog
  // closes. Other requests (the History read again, a payment method's fields) do
  // not count: they may go out while a dialog is on its way.
  var focusedAtRequest = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.target;
    if (target && (target.id === "dialog-host" || target.id === "payment-host")) {
      focusedAtRequest = document.activeElement;
    }
  });

  // Dialogs arrive rendered with `open` so they show without JavaScript; here
  // they become modal (focus trapped inside, Escape closes, focus returns to
  // the control that opened it, or to the item number once that is gone).
  // A dialog's opener, kept for the dialog that replaces it: a dialog that comes back
  // with an error (a refused payment, a refused submit) replaces the one the clerk
  // was in, and the focus goes back to what opened the first one.
  var openers = new WeakMap();

  // Where the focus goes when a dialog closes and what had the focus is gone: the
  // dialog still open on top (its Add, else its first control), else the item number.
  function focusFallback() {
    var modals = Array.prototype.filter.call(document.querySelectorAll("dialog[open]"), function (d) {
      return d.matches(":modal");
    });
    var top = modals[modals.length - 1];
    if (top) return firstFocusable(top, ["[accesskey=a]", "input:not([type=hidden]), select, textarea, button, a[href]"]);
    return itemNumberBox();
  }

  function upgradeDialogs(root) {
    root.querySelectorAll("dialog[data-modal][open]").forEach(function (dialog) {
      if (dialog.dataset.upgraded) return;
      dialog.dataset.upgraded = "1";
      var opener = focusedAtRequest && focusedAtRequest !== document.body &&
        !dialog.contains(focusedAtRequest) ? focusedAtRequest : null;
      // the request came from inside a dialog this one replaced: that dialog's opener
      // (and so on, for a payment dialog whose summary was replaced too)
      for (var hops = 0; opener && !document.body.contains(opener) && hops < 5; hops++) {
        var replaced = opener.closest ? opener.closest("dialog") : null;
        opener = replaced ? openers.get(replaced) || null : null;
      }
      openers.set(dialog, opener);
      // a field the clerk is already typing in (the dialog shows before it is
      // upgraded) keeps the focus: showModal() would move it to [autofocus]
      var active = document.activeElement;
      var typing = active && active !== dialog && dialog.contains(active) ? active : null;
      dialog.close();
      dialog.showModal();
      if (typing) {
        typing.focus();
        selectUntouched(typing);
      } else {
        var focusTarget = dialog.querySelector("[role=alert]") ? null : firstFocusable(dialog, [
          "[autofocus]", "input[type=radio]:checked",
          "input:not([type=hidden]):not([type=radio]), select", "button[type=submit]"
        ]);
        if (focusTarget) {
          focusTarget.focus();
          selectUntouched(focusTarget);
        }
      }
      dialog.addEventListener("close", function () {
        // the close() above queues a close event of its own: ignore it
        if (dialog.open) return;
        var host = dialog.closest("#dialog-host, #payment-host");
        if (host) {
          dialog.remove();
        } else if (dialog.dataset.closeUrl) {
          window.location.assign(dialog.dataset.closeUrl);
        }
        syncHiddenOutsideModal();
        if (host && (!document.activeElement || document.activeElement === document.body)) {
          var back = opener && document.body.contains(opener) && opener.getClientRects().length &&
            !opener.closest("[inert], [aria-hidden=true]") ? opener : focusFallback();
          if (back) back.focus();
        }
      });
    });
    syncHiddenOutsideModal();
  }

  document.addEventListener("click", function (event) {
    var dismiss = event.target.closest("[data-dismiss]");
    if (dismiss) {
      var dialog = dismiss.closest("dialog");
      if (dialog && dialog.closest("#dialog-host, #payment-host")) {
        event.preventDefault();
        dialog.close();
      }
      return;
    }
    // Clicking anywhere on a result row chooses that customer.
    var row = event.target.closest("[data-select-row]");
    if (row) {
      var radio = row.querySelector("input[type=radio]");
      if (radio) radio.checked = true;
    }
  });

  // Double-clicking a result row selects that customer at once.
  document.addEventListener("dblclick", function (event) {
    var row = event.target.closest("[data-select-row]");
    if (row) {
      var radio = row.querySelector("input[type=radio]");
      if (radio) { radio.checked = true; radio.form.requestSubmit(); }
    }
  });

  // Tabs: both panels show without JavaScript; with it, one at a time.
  function setupTabs(root) {
    root.querySelectorAll("[data-tabs]").forEach(function (tablist) {
      // set up once: a swap elsewhere on the page keeps the tab the clerk is on
      if (tablist.dataset.tabsReady) return;
      tablist.dataset.tabsReady = "1";
      var tabs = Array.prototype.slice.call(tablist.querySelectorAll("[role=tab]"));
      function select(tab, focus) {
        tabs.forEach(function (t) {
          var selected = t === tab;
          t.setAttribute("aria-selected", selected ? "true" : "false");
          t.classList.toggle("active", selected);
          t.tabIndex = selected ? 0 : -1;
          document.getElementById(t.getAttribute("aria-controls")).hidden = !selected;
        });
        if (focus) tab.focus();
      }
      tabs.forEach(function (tab, index) {
        tab.addEventListener("click", function () { select(tab, false); });
        tab.addEventListener("keydown", function (event) {
          var next = null;
          if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
          if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
          if (next) { event.preventDefault(); select(next, true); }
        });
      });
      var wanted = (window.location.hash || "").slice(1) || tablist.dataset.defaultTab;
      var initial = tabs.find(function (t) { return t.getAttribute("aria-controls") === wanted; }) || tabs[0];
      tablist.hidden = false;
      select(initial, false);
    });
  }

  // The item number combobox: arrows move through suggestions, Enter or a
  // click picks one, Escape closes the list.
  function comboboxParts(target) {
    var input = target.closest ? target.closest("input[role=combobox]") : null;
    if (!input) return null;
    return { input: input, list: document.getElementById(input.getAttribute("aria-controls")) };
  }

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }

  function closeList(parts) {
    parts.list.innerHTML = "";
    parts.input.setAttribute("aria-expanded", "false");
    parts.input.removeAttribute("aria-activedescendant");
  }

  function choose(parts, option) {
    parts.input.value = option.dataset.value;
    closeList(parts);
    var form = parts.input.form;
    var next = form && form.querySelector("input[name=quantity]");
    if (next) { next.focus(); next.select(); }
  }

  function setActive(parts, option) {
    options(parts.list).forEach(function (o) {
      var active = o === option;
      o.setAttribute("aria-selected", active ? "true" : "false");
      o.classList.toggle("active", active);
    });
    if (option) {
      parts.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }
  }

  document.addEventListener("keydown", function (event) {
    var parts = comboboxParts(event.target);
    if (!parts || !parts.list) return;
    var all = options(parts.list);
    if (!all.length) return;
    var current = all.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      setActive(parts, all[(current + step + all.length) % all.length]);
    } else if (event.key === "Enter" && current >= 0) {
      event.preventDefault();
      choose(parts, all[current]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeList(parts);
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest("[role=option]");
    if (!option) return;
    var list = option.closest("[role=listbox]");
    var input = list && document.querySelector("input[aria-controls='" + list.id + "']");
    if (input) { event.preventDefault(); choose({ input: input, list: list }, option); }
  });

  // A control changed before htmx had wired it (a fast clerk on a dialog just
  // swapped in) is not lost: its change is sent once htmx has processed it.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[hx-get], [hx-post]") && !el["htmx-internal-data"]) {
      el.dataset.changedEarly = "1";
    }
  }, true);
  document.addEventListener("htmx:load", function (event) {
    var root = event.detail.elt;
    var early = root.matches && root.matches("[data-changed-early]") ? [root] : [];
    if (root.querySelectorAll) early = early.concat(Array.from(root.querySelectorAll("[data-changed-early]")));
    early.forEach(function (el) {
      delete el.dataset.changedEarly;
      window.htmx.trigger(el, "change");
    });
  });

  // A response that takes more than a moment shows "Working…" (and the page is
  // marked busy for assistive technology); quick ones show nothing.
  var pending = 0, busyTimer = null;
  function setBusy(busy) {
    var indicator = document.getElementById("busy-indicator");
    var main = document.getElementById("main");
    if (indicator) indicator.hidden = !busy;
    if (main) main.setAttribute("aria-busy", busy ? "true" : "false");
  }
  document.addEventListener("htmx:beforeRequest", function () {
    pending += 1;
    if (!busyTimer) busyTimer = setTimeout(function () { if (pending) setBusy(true); }, 300);
  });
  document.addEventListener("htmx:afterRequest", function () {
    pending = Math.max(0, pending - 1);
    if (!pending) { clearTimeout(busyTimer); busyTimer = null; setBusy(false); }
  });

  // A click the server did not answer (an error status, no connection) or refused
  // without a panel to show (a page out of date, a role that does not allow it)
  // changes nothing on the screen: say so where the clerk is looking (under the
  // open dialog's title, or at the top of the page), so it is never taken for
  // done. The next click that is answered takes the message away; a lookup made
  // while typing or choosing (the item suggestions, a payment method's fields)
  // does not, or the message would go before it is read.
  var failure = null;
  function showFailure(text) {
    if (failure) failure.remove();
    failure = document.createElement("div");
    failure.className = "alert alert-danger request-failed";
    failure.setAttribute("role", "alert");
    failure.textContent = text;
    var modals = Array.prototype.filter.call(document.querySelectorAll("dialog[open]"), function (d) {
      return d.matches(":modal");
    });
    var dialog = modals[modals.length - 1];
    if (dialog && dialog.firstElementChild) dialog.firstElementChild.after(failure);
    else document.getElementById("main").prepend(failure);
    failure.scrollIntoView({ block: "nearest" });
  }
  function requestFailed(kind, status) {
    var texts = document.getElementById("request-failed-texts");
    if (texts) showFailure(texts.getAttribute("data-" + kind) + (status ? " (" + status + ")" : ""));
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    requestFailed(status === 503 ? "busy" : "server-error", status);
  });
  document.addEventListener("htmx:sendError", function () { requestFailed("no-connection"); });
  document.addEventListener("htmx:timeout", function () { requestFailed("no-connection"); });
  document.addEventListener("request-refused", function (event) { showFailure(event.detail.value); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail || {};
    if (!failure || !detail.successful || !detail.xhr) return;
    if (/request-refused/.test(detail.xhr.getResponseHeader("HX-Trigger") || "")) return;
    var verb = detail.requestConfig && detail.requestConfig.verb;
    if (verb === "get" && (editable(detail.elt) || refreshing(detail))) return;
    failure.remove();
    failure = null;
  });

  // An alert an earlier answer put in a panel (a change refused: 409, 400) goes
  // with the next change that is answered, wherever that is on the page: it no
  // longer describes the order. The alerts the new answer brings stay.
  var saidBefore = [];
  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail && event.detail.requestConfig;
    if (config && config.verb !== "get") saidBefore = Array.prototype.slice.call(document.querySelectorAll("[data-said]"));
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail || {};
    var verb = detail.requestConfig && detail.requestConfig.verb;
    if (verb === "get" || !detail.successful || !detail.xhr) return;
    if (/request-refused/.test(detail.xhr.getResponseHeader("HX-Trigger") || "")) return;
    saidBefore.forEach(function (el) { if (document.body.contains(el)) el.remove(); });
    saidBefore = [];
  });

  // The payment dialog's method changed: its details (card, check, gift card) are
  // swapped in, and an error about a field of the other tender (the check number,
  // once the clerk chose a gift card) goes with that field. An alert left with
  // nothing to say goes too.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "tender-fields") return;
    var form = target.closest("form");
    if (!form) return;
    form.querySelectorAll("[role=alert] [data-error-for]").forEach(function (line) {
      if (form.elements.namedItem(line.getAttribute("data-error-for"))) return;
      var alert = line.closest("[role=alert]");
      line.remove();
      if (!alert.querySelector("div") && !alert.textContent.trim()) alert.remove();
    });
  });

  // A section that follows the page's changes (the order's History) names its own
  // URL in data-refresh-url. After a change made on the page (an answered post that
  // was not refused) it is read again: at once when it is on the screen, else when
  // it is scrolled to, so the clicks of a clerk taking an order cost no extra request
  // while it is out of sight. Being read again is not a click: it takes no failure
  // message away.
  var refreshPath = null;
  function refreshing(detail) {
    return refreshPath !== null && detail.requestConfig && detail.requestConfig.path === refreshPath;
  }
  var stale = false;
  var inSight = false;
  var watcher = window.IntersectionObserver
    ? new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) { inSight = entry.isIntersecting; });
        if (inSight) refreshSections();
      })
    : null;
  var watched = null;
  function watchSections() {
    var section = document.querySelector("[data-refresh-url]");
    if (!watcher || section === watched) return;
    if (watched) watcher.unobserve(watched);
    watched = section;
    inSight = false;
    if (section) watcher.observe(section);
  }
  function refreshSections() {
    var section = document.querySelector("[data-refresh-url]");
    if (!stale || !section || !window.htmx) return;
    stale = false;
    refreshPath = section.getAttribute("data-refresh-url");
    htmx.ajax("GET", refreshPath, {
      source: section,
      target: section,
      swap: "outerHTML"
    });
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail || {};
    var verb = detail.requestConfig && detail.requestConfig.verb;
    if (verb === "get" || !detail.successful || !detail.xhr) return;
    if (/request-refused/.test(detail.xhr.getResponseHeader("HX-Trigger") || "")) return;
    if (!document.querySelector("[data-refresh-url]")) return;
    stale = true;
    if (inSight || !watcher) refreshSections();
  });

  // Keyboard shortcuts: Alt+letter presses the visible control whose
  // accesskey is that letter (in the open dialog first), the same in every
  // browser; "?" outside a text field opens the list of shortcuts.
  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function shortcutTarget(letter) {
    var modals = Array.prototype.filter.call(document.querySelectorAll("dialog[open]"), function (d) {
      return d.matches(":modal");
    });
    var scope = modals[modals.length - 1] || document;
    return firstFocusable(scope, [
      "[accesskey='" + letter + "']", "[data-shortcut='" + letter + "']",
      // a link to the page that has it (Alt+F on a page without the search box)
      "[data-shortcut-link='" + letter + "']"
    ]);
  }

  // The letter of Alt+letter: the one printed on the key (event.key), so the
  // shortcuts follow the clerk's layout (Alt+A is Alt+A on AZERTY too). When Alt
  // makes the key type something else (a dead key, macOS Option characters: Option+A
  // types "æ"), the letter the keyboard's own layout prints on that key (the Keyboard
  // Map API, where the browser has it), else the key's place on a US keyboard.
  var keyboardLayout = null;
  if (navigator.keyboard && navigator.keyboard.getLayoutMap) {
    navigator.keyboard.getLayoutMap().then(function (map) { keyboardLayout = map; }, function () {});
  }

  function shortcutLetter(event) {
    var key = (event.key || "").toLowerCase();
    if (/^[a-z]$/.test(key)) return key;
    var code = event.code || "";
    var printed = keyboardLayout && keyboardLayout.get(code);
    if (printed && /^[a-z]$/i.test(printed)) return printed.toLowerCase();
    return /^Key[A-Z]$/.test(code) ? code.slice(3).toLowerCase() : null;
  }

  document.addEventListener("keydown", function (event) {
    var letter = event.altKey && !event.ctrlKey && !event.metaKey ? shortcutLetter(event) : null;
    if (letter) {
      var target = shortcutTarget(letter);
      if (!target) return;
      event.preventDefault();
      target.focus();
      // a form swapped in a moment ago may not be wired yet: htmx.process is
      // idempotent, and without it the click would post the whole page
      var form = target.form || target.closest("form");
      if (form && window.htmx) window.htmx.process(form);
      // a field, or a control with a data-shortcut (no accesskey, which the
      // browser would click: Alt+U goes to the upsell prompt's first Add, it
      // adds nothing), only takes the focus
      if (!/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && !target.hasAttribute("data-shortcut")) {
        target.click();
      }
    } else if (event.key === "?" && !editable(event.target)) {
      var url = document.body.dataset.shortcutsUrl;
      if (url && window.htmx && !document.getElementById("shortcuts-help")) {
        event.preventDefault();
        window.htmx.ajax("GET", url, { target: "#dialog-host", swap: "innerHTML" });
      }
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-submit-on-change]")) event.target.form.requestSubmit();
  });

  // A select that saves or switches as soon as it changes (the mode of delivery,
  // the call center and language switches) does so at once with the mouse; with
  // the keys (arrows, letters) the clerk looks through the options first, and
  // the choice is committed by Enter or by leaving the select: ArrowUp three
  // times is one change, not three saves. Enter on another select of a form
  // (the new line's source code) sends the form, as Enter in its fields does.
  function savesOnChange(select) {
    var form = select.form;
    return select.matches("[data-submit-on-change]") ||
      !!(form && /(^|[\s,])change\b/.test(form.getAttribute("hx-trigger") || ""));
  }
  var keyedFrom = new WeakMap();  // a select changed by keys -> its value before them
  function commitKeyed(select) {
    if (!keyedFrom.has(select)) return;
    var before = keyedFrom.get(select);
    keyedFrom.delete(select);
    if (select.value !== before) select.dispatchEvent(new Event("change", { bubbles: true }));
  }
  document.addEventListener("keydown", function (event) {
    var select = event.target;
    if (select.tagName !== "SELECT" || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter") {
      if (savesOnChange(select)) {
        if (keyedFrom.has(select)) { event.preventDefault(); commitKeyed(select); }
      } else if (select.form && select.form.querySelector("[type=submit]")) {
        event.preventDefault();
        select.form.requestSubmit();
      }
    } else if (savesOnChange(select) && !keyedFrom.has(select) &&
               (/^(Arrow|Page|Home|End)/.test(event.key) || (event.key.length === 1 && event.key !== " "))) {
      keyedFrom.set(select, select.value);
    }
  }, true);
  document.addEventListener("change", function (event) {
    // seen first (capture): neither htmx nor the switch above hears a keyed change yet
    if (keyedFrom.has(event.target)) event.stopPropagation();
  }, true);
  document.addEventListener("focusout", function (event) {
    if (event.target.tagName === "SELECT") commitKeyed(event.target);
  });

  document.addEventListener("focusout", function (event) {
    var parts = comboboxParts(event.target);
    if (parts && parts.list) setTimeout(function () {
      // an input replaced by a swap leaves its list to the new input
      if (document.body.contains(parts.input)) closeList(parts);
    }, 150);
  });

  // The upsell prompt never takes the focus: the clerk goes on typing the next
  // item number, and the digits must not land in the prompt, where 1-9 add a
  // suggestion. A new prompt is announced (its polite live region, outside the
  // swapped part); Alt+U goes to its first Add, and inside it 1-9 add that
  // suggestion and Escape dismisses the prompt. Once it is gone from under the
  // focus, the item number has the focus again.
  // A suggestion answered from inside the prompt replaces it: the focus goes
  // to the new prompt's first Add, or to the item number once none is left.
  var lastPromptKey = null;
  var answeringPrompt = false;
  document.addEventListener("submit", function (event) {
    answeringPrompt = !!(event.target.closest && event.target.closest("[data-upsell-prompt]"));
  }, true);
  function focusNewPrompt() {
    var prompt = document.querySelector("[data-upsell-prompt]");
    var key = prompt ? prompt.dataset.promptKey : "";
    var announce = document.getElementById("upsell-announce");
    if (answeringPrompt && key !== lastPromptKey) {
      answeringPrompt = false;
      var next = key ? prompt.querySelector("[data-upsell-add]")
        : itemNumberBox();
      if (next) next.focus();
    } else if (key && key !== lastPromptKey && announce) {
      announce.textContent = prompt.dataset.announce || "";
    } else if (!key && lastPromptKey && (!document.activeElement || document.activeElement === document.body)) {
      var item = itemNumberBox();
      if (item) item.focus();
    }
    lastPromptKey = key;
  }

  document.addEventListener("keydown", function (event) {
    var prompt = event.target.closest ? event.target.closest("[data-upsell-prompt]") : null;
    if (!prompt || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape") {
      event.preventDefault();
      prompt.querySelector("[data-upsell-dismiss]").click();
    } else if (/^[1-9]$/.test(event.key)) {
      var button = prompt.querySelectorAll("[data-upsell-add]")[Number(event.key) - 1];
      if (button) { event.preventDefault(); button.click(); }
    }
  });

  // A header change also sends the lines panel (prices may change); what the
  // clerk typed in the new line meanwhile is carried over to the new panel.
  var typedLine = null;
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    var form = target && target.id === "lines-panel" ? target.querySelector("#add-line-form") : null;
    if (!form) return;
    var active = document.activeElement;
    typedLine = {
      values: Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.type !== "hidden" && el.type !== "submit";
      }).map(function (el) { return [el.name, el.value]; }),
      focus: active && form.contains(active) ? active.name : null
    };
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    var state = typedLine;
    var form = document.getElementById("add-line-form");
    typedLine = null;
    if (!state || !form) return;
    state.values.forEach(function (pair) {
      var el = form.elements.namedItem(pair[0]);
      if (el && el.value !== pair[1]) el.value = pair[1];
    });
    var focused = state.focus && form.elements.namedItem(state.focus);
    if (focused) focused.focus();
    linesReplaced = true;
  });
  // Typing that went to the old input, or to the new one before htmx set it
  // up, asked for no suggestions: ask once the swap has settled.
  var linesReplaced = false;
  document.addEventListener("htmx:afterSettle", function () {
    if (!linesReplaced) return;
    linesReplaced = false;
    var item = itemNumberBox();
    if (!item || !item.value || document.activeElement !== item || !window.htmx) return;
    htmx.ajax("GET", item.getAttribute("hx-get"), {
      source: item,
      target: "#" + item.getAttribute("aria-controls"),
      swap: "innerHTML",
      values: { item_number: item.value }
    });
  });

  function enhance(root) {
    root.querySelectorAll("[data-js-hide]").forEach(function (el) { el.hidden = true; });
    setupTabs(root);
    upgradeDialogs(root);
    focusNewPrompt();
    watchSections();
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    var list = event.detail.target;
    if (list && list.getAttribute && list.getAttribute("role") === "listbox") {
      var input = document.querySelector("input[aria-controls='" + list.id + "']");
      if (input) input.setAttribute("aria-expanded", options(list).length ? "true" : "false");
    }
    enhance(document);
  });
})();

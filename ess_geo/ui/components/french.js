/* ESS Territoires: Streamlit's own interface in French (issue 14).
 *
 * Streamlit 1.67 hard-codes its interface texts in English: the file
 * uploader, the empty select boxes, the aria labels of help icons, of the
 * sidebar button and of the data-frame toolbar, the skip link. This script,
 * the only place where they are translated, rewrites them in the page as they
 * appear (a MutationObserver), in text and in the aria-label, placeholder and
 * title attributes. It also makes the browser's number formatting French
 * (the data frames' "localized" and "percent" formats read
 * navigator.languages), puts slider values in French decimals, and copies
 * the page's address when a "Copier le lien" button (data-ess-copy-link) is
 * pressed.
 *
 * Loaded inline by ess_geo.ui.chrome.french_document on every page; also a
 * CommonJS module (module.exports = {translate, EXACT, PATTERNS}) so that the
 * tests can check the translations with Node.
 */
var essFrench = (function () {
  "use strict";

  var EXACT = {
    "Skip to main content": "Aller au contenu principal",
    "Upload": "Choisir un fichier",
    "file upload": "Choisir un fichier",
    "Browse files": "Choisir un fichier",
    "Drag and drop file here": "Glissez-déposez un fichier ici",
    "Drag and drop files here": "Glissez-déposez des fichiers ici",
    "No options to select": "Aucune option",
    "No options to select.": "Aucune option.",
    "No results": "Aucun résultat",
    "No results found": "Aucun résultat",
    "Choose an option": "Choisissez une option",
    "Choose options": "Choisissez des options",
    "Select...": "Choisissez…",
    "Expand sidebar": "Ouvrir le panneau latéral",
    "Collapse sidebar": "Fermer le panneau latéral",
    "Sidebar": "Panneau latéral",
    "App pages": "Pages de l'application",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Selected values": "Valeurs choisies",
    "Open": "Ouvrir",
    "Close": "Fermer",
    "Dismiss": "Fermer",
    "view more": "voir plus",
    "view less": "voir moins",
    "Show password": "Afficher le mot de passe",
    "Hide password": "Masquer le mot de passe",
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    "Download as CSV": "Télécharger en CSV",
    "Download as PNG": "Télécharger en PNG",
    "Download as SVG": "Télécharger en SVG",
    "Search": "Rechercher",
    "Search...": "Rechercher…",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Link to heading": "Lien vers ce titre",
    "Copy Vega-Lite spec": "Copier la spécification Vega-Lite",
    "Show data": "Voir les données",
    "Vega visualization": "Graphique",
    "Sort ascending": "Trier par ordre croissant",
    "Sort descending": "Trier par ordre décroissant",
    "Pin column": "Épingler la colonne",
    "Unpin column": "Détacher la colonne",
    "Hide column": "Masquer la colonne",
    "Autosize": "Largeur automatique",
    "Format": "Format",
    "Automatic": "Automatique",
    "Localized": "Localisé",
    "Plain": "Brut",
    "Compact": "Compact",
    "Percent": "Pourcentage",
    "Scientific": "Scientifique",
    "Copy to clipboard": "Copier",
    "Copied to clipboard": "Copié",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Page not found": "Page introuvable",
    "Remove file": "Retirer le fichier",
    "Delete": "Supprimer",
    "Press Enter to apply": "Appuyez sur Entrée pour valider",
    "Press Enter to submit form": "Appuyez sur Entrée pour envoyer",
    "Upload failed": "Échec de l'envoi",
    "Click to retry upload": "Cliquer pour réessayer l'envoi",
    "Error:": "Erreur :",
  };

  var UNITS = { B: "o", KB: "ko", MB: "Mo", GB: "Go" };

  function size(amount, unit) {
    return amount.replace(".", ",") + "\u00a0" + (UNITS[unit] || unit);
  }

  var PATTERNS = [
    [/^Help for (.+)$/, "Aide : $1"],
    [/^Remove (.+)$/, "Retirer $1"],
    [/^Fullscreen: (.+)$/, "Plein écran : $1"],
    [/^Show data: (.+)$/, "Voir les données : $1"],
    [/^Download as PNG: (.+)$/, "Télécharger en PNG : $1"],
    [/^Copy Vega-Lite spec: (.+)$/, "Copier la spécification Vega-Lite : $1"],
    [/^Title text '(.+)'$/, "Titre : $1"],
    [/^Cancel upload of (.+)$/, "Annuler l'envoi de $1"],
    // An uploaded file's size ("30.0B": always one decimal, unlike a NAF
    // code such as "88.10B"), alone or after its name (aria-label).
    [
      /^(?:(.+), )?(\d+\.\d)(B|KB|MB|GB)$/,
      function (_, name, amount, unit) {
        return (name ? name + ", " : "") + size(amount, unit);
      },
    ],
    [
      /^(?:Limit )?([\d.]+)\s?(B|KB|MB|GB) per file(?: • (.+))?$/,
      function (_, amount, unit, types) {
        return size(amount, unit) + " par fichier" + (types ? " • " + types : "");
      },
    ],
  ];

  /** The French for one of Streamlit's texts, or null if it is not one. */
  function translate(text) {
    var trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(EXACT, trimmed)) {
      return text.replace(trimmed, EXACT[trimmed]);
    }
    for (var i = 0; i < PATTERNS.length; i++) {
      if (PATTERNS[i][0].test(trimmed)) {
        return text.replace(trimmed, trimmed.replace(PATTERNS[i][0], PATTERNS[i][1]));
      }
    }
    return null;
  }

  /** A slider's value in French decimals ("0.25" -> "0,25"), else null. */
  function frenchDecimal(text) {
    return /^-?\d+\.\d+$/.test(text.trim()) ? text.replace(".", ",") : null;
  }

  var ATTRIBUTES = ["aria-label", "placeholder", "title", "aria-valuetext"];
  var SKIP = { SCRIPT: 1, STYLE: 1, TEXTAREA: 1, NOSCRIPT: 1 };

  function fixText(node) {
    var parent = node.parentElement;
    // Material icons are words drawn as ligatures ("upload"): never translated.
    if (!parent || SKIP[parent.tagName] || parent.closest("[translate='no']")) return;
    var value = node.nodeValue;
    var french = translate(value);
    if (french === null && parent.closest("[data-testid='stSlider']")) {
      french = frenchDecimal(value);
    }
    if (french !== null && french !== value) node.nodeValue = french;
  }

  function fixElement(element) {
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var value = element.getAttribute(ATTRIBUTES[i]);
      if (!value) continue;
      var french = translate(value);
      if (french === null && ATTRIBUTES[i] === "aria-valuetext") {
        french = frenchDecimal(value);
      }
      if (french !== null && french !== value) element.setAttribute(ATTRIBUTES[i], french);
    }
  }

  // Streamlit's toasts are alert dialogs without a name: give them one.
  var TOAST = "[data-testid='stToast']";
  function nameToasts(root) {
    var toasts = root.matches(TOAST) ? [root] : root.querySelectorAll(TOAST);
    for (var i = 0; i < toasts.length; i++) {
      if (!toasts[i].getAttribute("aria-label")) toasts[i].setAttribute("aria-label", "Message");
    }
  }

  function fixTree(root) {
    if (root.nodeType === 3) return fixText(root);
    if (root.nodeType !== 1) return;
    nameToasts(root);
    fixElement(root);
    var elements = root.querySelectorAll("[aria-label], [placeholder], [title], [aria-valuetext]");
    for (var i = 0; i < elements.length; i++) fixElement(elements[i]);
    var walker = root.ownerDocument.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
    var node;
    while ((node = walker.nextNode())) fixText(node);
  }

  function copyLink(button) {
    var address = window.location.href;
    var done = function () {
      button.setAttribute("data-ess-copied", "true");
      var status = button.parentElement.querySelector("[data-ess-copy-status]");
      if (status) status.textContent = "Lien copié : " + address;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(address).then(done, function () {
        fallbackCopy(address);
        done();
      });
    } else {
      fallbackCopy(address);
      done();
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try {
      document.execCommand("copy");
    } finally {
      area.remove();
    }
  }

  function install(window) {
    if (window.essFrenchInstalled) return;
    window.essFrenchInstalled = true;
    var document = window.document;
    var french = function () { return ["fr-FR", "fr"]; };
    try {
      Object.defineProperty(window.navigator, "languages", { get: french, configurable: true });
      Object.defineProperty(window.navigator, "language", {
        get: function () { return "fr-FR"; },
        configurable: true,
      });
    } catch (e) {
      /* a browser that refuses: numbers stay in its own language */
    }
    document.documentElement.lang = "fr";
    fixTree(document.body);
    new window.MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var record = records[i];
        if (record.type === "childList") {
          for (var j = 0; j < record.addedNodes.length; j++) fixTree(record.addedNodes[j]);
        } else if (record.type === "characterData") {
          fixText(record.target);
        } else {
          fixElement(record.target);
        }
      }
    }).observe(document.documentElement, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ATTRIBUTES,
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-ess-copy-link]");
      if (button) copyLink(button);
    });
  }

  return { EXACT: EXACT, PATTERNS: PATTERNS, translate: translate, install: install };
})();

if (typeof module === "object" && module.exports) {
  module.exports = essFrench;
} else {
  essFrench.install(window);
}

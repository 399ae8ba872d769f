// The example site's own script: shows the recherche-select event.
document.addEventListener("recherche-select", (e) => {
  const out = document.getElementById("choisi");
  if (out) out.textContent = `Vous avez choisi : ${e.detail.title}`;
});

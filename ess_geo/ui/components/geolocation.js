// The "Me localiser" button (ess_geo.ui.geolocation), a Streamlit v2
// component. The browser asks the person first; nothing is sent unless they
// accept. Triggers "position" ({lat, lon, accuracy}) or "error" (a French
// message, also shown under the button).
export default function (component) {
  const { parentElement, setTriggerValue } = component;
  const button = parentElement.querySelector("button");
  const status = parentElement.querySelector("[role=status]");
  if (!("geolocation" in navigator)) {
    button.disabled = true;
    status.textContent =
      "Ce navigateur ne sait pas vous localiser : indiquez votre commune.";
    return;
  }
  const failed = (error) => {
    button.disabled = false;
    const message =
      error.code === 1
        ? "Localisation refusée : indiquez votre commune ou votre code postal."
        : error.code === 3
          ? "Localisation trop longue : réessayez ou indiquez votre commune."
          : "Votre position n'a pas pu être déterminée : indiquez votre commune.";
    status.textContent = message;
    setTriggerValue("error", message);
  };
  const located = (position) => {
    button.disabled = false;
    status.textContent = "Position trouvée.";
    setTriggerValue("position", {
      lat: position.coords.latitude,
      lon: position.coords.longitude,
      accuracy: position.coords.accuracy,
    });
  };
  const onClick = () => {
    button.disabled = true;
    status.textContent = "Localisation en cours…";
    navigator.geolocation.getCurrentPosition(located, failed, {
      enableHighAccuracy: false,
      timeout: 15000,
      maximumAge: 300000,
    });
  };
  button.addEventListener("click", onClick);
  return () => button.removeEventListener("click", onClick);
}

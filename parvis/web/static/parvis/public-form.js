/* The public form's "Utiliser ma position" button (inbox/public_form.html): fills the
   latitude and longitude fields from the browser's geolocation. Without JavaScript,
   or where geolocation is unavailable, the button stays hidden and the fields can be
   filled by hand. No third-party script, no map tiles. The sentences come from the
   button's data attributes (translated in the template). */
(function () {
  "use strict";
  var button = document.getElementById("utiliser-position");
  var status = document.getElementById("position-statut");
  var latitude = document.getElementById("id_latitude");
  var longitude = document.getElementById("id_longitude");
  if (!button || !status || !latitude || !longitude || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = button.dataset.searching;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.found.replace(
          "{metres}", String(Math.round(position.coords.accuracy))
        );
        button.disabled = false;
      },
      function () {
        status.textContent = button.dataset.failed;
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();

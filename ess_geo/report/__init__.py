"""Reports: the panorama (PDF, HTML), SVG figures, Altair charts."""

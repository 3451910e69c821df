"""The pen the site's ``<digit-pad>`` draws with, in one place.

The widget keeps each stroke in canvas-independent coordinates and renders the
drawing it sends to the network onto a ``CANVAS_SIZE`` square with a round pen
``PEN_WIDTH`` wide, whatever the size of the canvas on screen. The evaluation
renders recorded pen strokes the same way, so its figures speak for the site.
The site build copies these numbers into the widget's manifest.
"""

CANVAS_SIZE = 280  # px, side of the square the drawing is rendered onto
# px at CANVAS_SIZE. Tuned on the 7 494 pendigits digits drawn over 70% of the
# canvas (python -m train.evaluate --pen-widths ...): CNN pen accuracy 97.48,
# 97.46, 97.48, 97.45, 97.34, 97.44% at 14, 17, 20, 23, 26, 29 px; MLP 96.30,
# 96.32, 96.30, 96.22, 96.10, 95.84%. Thinner pens keep small loops open (the
# '9's), thicker ones fill them in; 20 px is where both models are near best.
PEN_WIDTH = 20.0

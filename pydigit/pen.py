"""The pen the site's ``<digit-pad>`` draws with, in one place.

The widget keeps each stroke in canvas-independent coordinates and renders the
drawing it sends to the network onto a ``CANVAS_SIZE`` square with a round pen
``PEN_WIDTH`` wide, whatever the size of the canvas on screen. The evaluation
renders recorded pen strokes the same way, so its figures speak for the site.
The site build copies these numbers into the widget's manifest.
"""

# px, side of the square the drawing is rendered onto. Five times the 28 px
# field: the 20 px box is an area average of some 100 px of drawing, as smooth
# as from 280 px (pen accuracy within 0.1 point at 112, 140 and 280 px) with a
# quarter of the pixels to read off the canvas, send and preprocess.
CANVAS_SIZE = 140
# px at CANVAS_SIZE. Tuned on the 7 494 pendigits digits drawn over 70% of the
# canvas (python -m train.evaluate --pen-widths ...): CNN pen accuracy 97.50,
# 97.54, 97.56, 97.50, 97.38, 97.50% at 7, 8.5, 10, 11.5, 13, 14.5 px; MLP
# 96.25, 96.32, 96.28, 96.22, 96.12, 95.82%. Thinner pens keep small loops
# open (the '9's), thicker ones fill them in; 10 px (7% of the side) is where
# both models are near their best.
PEN_WIDTH = 10.0

"""The pen the site's ``<digit-pad>`` draws with, in one place.

The widget keeps each stroke in canvas-independent coordinates and renders the
drawing it sends to the network onto a ``CANVAS_SIZE`` square with a round pen
``PEN_WIDTH`` wide, whatever the size of the canvas on screen. The evaluation
renders recorded pen strokes the same way, so its figures speak for the site.
The site build copies these numbers into the widget's manifest.
"""

CANVAS_SIZE = 280  # px, side of the square the drawing is rendered onto
# px at CANVAS_SIZE. Tuned on the 7 494 pendigits digits drawn over 70% of the
# canvas (python -m train.evaluate --pen-widths ...): CNN pen accuracy 94.4,
# 94.6, 94.8, 95.1, 95.3% at 10, 14, 18, 22, 26 px. 26 px also gives about
# MNIST's amount of ink after preprocessing; wider pens gain only on '1's with
# a long flag and lose on digits drawn small (loops fill in).
PEN_WIDTH = 26.0

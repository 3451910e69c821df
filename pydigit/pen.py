"""The pen the site's ``<digit-pad>`` draws with, in one place.

The widget keeps each stroke in canvas-independent coordinates and renders the
drawing it sends to the network onto a ``CANVAS_SIZE`` square with a round pen
``PEN_WIDTH`` wide, whatever the size of the canvas on screen. The evaluation
renders recorded pen strokes the same way, so its figures speak for the site.
The site build copies these numbers into the widget's manifest.
"""

CANVAS_SIZE = 280  # px, side of the square the drawing is rendered onto
PEN_WIDTH = 18.0   # px at CANVAS_SIZE; tuned on the pendigits strokes (train.evaluate)

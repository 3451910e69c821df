"""The pen the site's ``<digit-pad>`` draws with, in one place.

The widget keeps each stroke in canvas-independent coordinates and renders the
drawing it sends to the network onto a ``CANVAS_SIZE`` square with a round pen
``PEN_WIDTH`` wide, whatever the size of the canvas on screen. The evaluation
renders recorded pen strokes the same way, so its figures speak for the site.
The site build copies these numbers into the widget's manifest.
"""

# px, side of the square the drawing is rendered onto. Five times the 28 px
# field: the 20 px box is an area average of some 100 px of drawing, as smooth
# as from twice the size, with a quarter of the pixels to render, send and
# preprocess.
CANVAS_SIZE = 140
# px at CANVAS_SIZE. Tuned on the recorded pen digits: `python -m
# train.evaluate --pen-widths ...` writes the accuracy at each width into the
# metrics JSON ("pen_width_sweep"). Thinner pens keep small loops open (the
# '9's), thicker ones fill them in; this width is where both models are near
# their best.
PEN_WIDTH = 10.0
# px, the longer side of the drawing's ink as rendered for the network
# (strokes.render_ink): a little over MNIST's 20 px box, so that the area
# averaging down to it still smooths the pen's edge, without computing the
# whole pad. Larger boxes cost render time in the browser and read the
# recorded pen digits no better (measured from 16 to 60 px).
INK_BOX = 24

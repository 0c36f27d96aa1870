"""The review page: a local web app to look at flagged photos and record keep / discard decisions.

Modules (one job each):

* :mod:`~blurscan.review.decisions` -- the ``decisions`` / ``decision_log`` tables (also used by the scan
  report and the actions);
* :mod:`~blurscan.review.security` -- token, Host, Origin / CSRF checks and the safe opening of served files
  (pure functions);
* :mod:`~blurscan.review.signin` -- signing in: the token or a one-time login code traded for the cookie;
* :mod:`~blurscan.review.exif_view` -- the EXIF basics of the detail view, and whether a browser turns a
  picture as the scan did;
* :mod:`~blurscan.review.thumbs` -- the on-disk thumbnail cache;
* :mod:`~blurscan.review.prune` -- removing the cached thumbnails no photo uses any more;
* :mod:`~blurscan.review.app` -- the Flask application factory;
* :mod:`~blurscan.review.server` -- bind a free loopback port, build the URL, serve.

Importing this package imports neither Flask nor the decoder; :mod:`decisions` is light on purpose.
"""

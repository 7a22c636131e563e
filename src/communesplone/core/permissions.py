"""The titles of Zope's, CMF's and Plone's own permissions that the
applications' workflow tables and tests name, each defined once.

An application's own permissions stay in its constants (or workflow_spec)
module; these are the ones every application shares.
"""

VIEW = "View"
ACCESS = "Access contents information"
LIST = "List folder contents"
MODIFY = "Modify portal content"
REVIEW = "Review portal content"
DELETE = "Delete objects"
ADD = "Add portal content"
ADD_FILE = "plone.app.contenttypes: Add File"

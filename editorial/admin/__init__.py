"""The editors' workspace: articles, source documents, facts and proposals.

Every change to a fact is proposed, reviewed and published (``proposals``): the
admin of each fact writes its saves into the editor's draft proposal.
"""

from editorial.admin import articles, knowledge, proposals

__all__ = ["articles", "knowledge", "proposals"]

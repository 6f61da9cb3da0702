"""The article body's editor: django-markdownx's, with an image control that asks
for alt text, and the content checks of the text being written beside it."""

from django.forms.renderers import get_default_renderer
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from markdownx.widgets import MarkdownxWidget

from editorial.content_checks import check_content
from editorial.uploads import MAX_ALT_CHARS
from knowledge.markdown import render_markdown


class ArticleBodyEditor(MarkdownxWidget):
    """The Markdown editor of an article's body.

    django-markdownx's script finds the editor and its live preview inside any
    ``.markdownx`` element; this layout puts the image control above the editor and
    the content checks between the editor and the preview, where the author looks.
    ``editorial/article_body.js`` runs the control and refreshes the checks.
    """

    layout_template = "editorial/widgets/article_body.html"

    class Media:
        css = {"all": ["css/editorial.css"]}
        js = ["editorial/article_body.js"]

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        context = self.get_context(name, value, {**(attrs or {}), **self.attrs})
        renderer = renderer or get_default_renderer()
        # The textarea through the form renderer, as every widget's; the layout
        # through the site's templates, like the rest of the site's markup.
        textarea = renderer.render("django/forms/widgets/textarea.html", context)
        return render_to_string(
            self.layout_template,
            {
                "widget": context["widget"],
                "textarea": mark_safe(textarea),
                "checks": check_content(render_markdown(value or "")),
                "max_alt_chars": MAX_ALT_CHARS,
            },
        )

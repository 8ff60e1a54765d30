"""The trainee app. The only package that imports textual."""

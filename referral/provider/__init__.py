"""Provider self-service (issue 7): claiming an organization, verified email, and the
provider pages where staff keep their organization's listings current."""

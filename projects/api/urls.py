from rest_framework.routers import SimpleRouter

from projects.api.views import ApplicationViewSet, ProjectReportViewSet, ProjectViewSet

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("applications", ApplicationViewSet, basename="application")
router.register("project-reports", ProjectReportViewSet, basename="project-report")

urlpatterns = router.urls
